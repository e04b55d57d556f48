// The client worker thread's entry: Node 20 does not apply tsx's --import hooks to worker threads,
// so the thread loads its TypeScript through tsx's API.
import { tsImport } from 'tsx/esm/api';

await tsImport('./client-worker.ts', import.meta.url);
