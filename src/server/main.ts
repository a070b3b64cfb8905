/** `npm start`: serve the API and the web page. A failure to start is one line naming the cause, not a stack trace. */
import { serve } from './index.ts';

try {
  await serve();
} catch (e) {
  process.stderr.write(`gatekeeper: cannot start the server: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
}
