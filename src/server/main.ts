/** `npm start`: serve the API and the web page. */
import { serve } from './index.ts';

try {
  await serve();
} catch (e) {
  process.stderr.write(`gatekeeper: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
}
