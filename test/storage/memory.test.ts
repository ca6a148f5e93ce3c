// The in-memory run store passes the shared RunStore contract.
import { MemoryRunStore } from '../../src/storage/memory.js';
import { runStoreContract } from './contract.js';

runStoreContract('memory', async () => new MemoryRunStore());
