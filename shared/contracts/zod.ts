import { config } from 'zod/mini';
// The English messages alone: `z.locales.en()` would bundle every locale (about 250 KB).
import en from 'zod/v4/locales/en.js';

// zod/mini ships without message locales to stay small; a 4xx must still tell a person what is
// wrong, so the English messages are loaded once, here, for every schema that imports this file.
config(en());

// Import as `import * as z from '#contracts/zod'`. Re-exporting a namespace object instead
// (`export { z }`) would defeat tree-shaking and put all of zod (420 KB) in every bundle.
export * from 'zod/mini';
