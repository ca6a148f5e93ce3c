// The example project's configuration: asset modules in assets/, embedded defaults for everything else.
import { defineConfig } from 'sluice';

export default defineConfig({
  assets: ['assets'],
});
