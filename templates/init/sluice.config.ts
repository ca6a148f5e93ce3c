// The project's configuration: where asset modules live and which resources producers may use.
import { defineConfig } from 'sluice';

export default defineConfig({
  assets: ['assets'],
  // Without resources, `warehouse` is an embedded DuckDB file in .sluice/. A PostgreSQL warehouse instead:
  // resources: { warehouse: { type: 'postgres', urlEnv: 'WAREHOUSE_URL' } },
  // SLUICE_CONN_WAREHOUSE=postgres://… overrides it for one run without editing this file.
});
