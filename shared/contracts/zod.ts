import * as z from 'zod/mini';

// zod/mini ships without message locales to stay small; a 4xx must still tell a person what is
// wrong, so the English messages are loaded once, here, for every schema that imports from this file.
z.config(z.locales.en());

export { z };
