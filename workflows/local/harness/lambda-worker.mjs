// Worker-thread entry of the local Lambda pool: registers tsx's loader in this thread (a worker
// does not inherit the main thread's runtime registration), then serves ./lambda-worker.ts.
import { register } from 'tsx/esm/api';

register();
const { default: invoke } = await import('./lambda-worker.ts');
export default invoke;
