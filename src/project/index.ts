// The project layer's surface: finding, configuring and loading a project, and the code it generates.

export { ASSET_KEYS_FILE, renderAssetKeys, writeAssetKeys } from './asset-keys.js';
export { type AddAssetOptions, addAssetDeclaration } from './codegen.js';
export {
  defineConfig,
  parseConfig,
  type ResourceConfig,
  type SluiceConfig,
  type SluiceConfigInput,
  type StorageConfig,
} from './config.js';
export { findAssetModules } from './files.js';
export { type Located, loadProject, loadProjectConfig, type Project } from './load.js';
export { CONFIG_FILES, findProjectRoot } from './root.js';
