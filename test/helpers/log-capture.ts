/** The log capture lives in `tools/` (the demo uses it too); tests import it from here or there. */
export { LogCapture } from '../../tools/log-capture.js';
