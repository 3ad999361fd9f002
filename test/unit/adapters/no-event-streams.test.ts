import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as standIn from '#adapters/no-event-streams';

describe('the event-stream stand-in bundled in place of @smithy/core/event-streams', () => {
  it('fails with a message that names the alias, whichever export the SDK reaches for', () => {
    const message = /bundled without @smithy\/core\/event-streams \(infra\/bundling\.ts BUNDLE_ALIASES\)/;
    expect(() => new standIn.EventStreamSerde()).toThrow(message);
    expect(() => standIn.eventStreamSerdeProvider()).toThrow(message);
  });

  it('exports every name the SDK imports from the real module, so an SDK update that needs another one fails here', () => {
    // The ESM build esbuild bundles (mainFields module,main).
    const source = readFileSync(path.resolve(import.meta.dirname, '../../../node_modules/@smithy/core/dist-es/submodules/protocols/HttpProtocol.js'), 'utf8');
    const imports = [...source.matchAll(/const \{([^}]+)\} = await import\("@smithy\/core\/event-streams"\)/g)].flatMap((match) => match[1]!.split(',').map((name) => name.trim()));
    expect(imports.length).toBeGreaterThan(0);
    for (const name of imports) expect(standIn, name).toHaveProperty(name);
  });
});
