/** `npm start`: serve the API and the web page. */
import { serve } from './index.ts';

await serve();
