// The example project's configuration: asset modules in assets/, embedded defaults for everything else.
import { defineConfig } from 'sluice';

export default defineConfig({
  assets: ['assets'],
  // WF_MAIN's report preparation runs one at a time, as the seed's 1-slot pool says.
  pools: { reports: 1 },
  // The DWH and orders pipelines run on PostgreSQL; the URLs (with passwords) come from the environment.
  // SLUICE_CONN_DWH / SLUICE_CONN_ORDERS_DB override them for one run.
  resources: {
    dwh: { type: 'postgres', urlEnv: 'DWH_URL' },
    orders_db: { type: 'postgres', urlEnv: 'ORDERS_DB_URL' },
  },
});
