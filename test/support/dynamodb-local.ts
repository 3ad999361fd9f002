import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';

// AWS's DynamoDB Local, as shipped inside the npm package amplify-dynamodb-simulator. We fetch
// the tarball with `npm pack` (never its dependencies) and keep only its emulator/ folder.
const SIMULATOR = 'amplify-dynamodb-simulator@2.9.30';
const CACHE_DIR = path.resolve(import.meta.dirname, '../../.cache/dynamodb-local/2.9.30');

export interface RunningDynamoDbLocal {
  endpoint: string;
  stop(): Promise<void>;
}

/** Why DynamoDB Local cannot run here, or undefined when it can. */
export function dynamoDbLocalUnavailableReason(): string | undefined {
  const java = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (java.error || java.status !== 0) return 'Java was not found on PATH (DynamoDB Local needs Java 17 or newer)';
  const version = /version "(\d+)/.exec(java.stderr)?.[1];
  if (version !== undefined && Number(version) < 17) return `Java ${version} found; DynamoDB Local needs Java 17 or newer`;
  return undefined;
}

async function ensureEmulator(): Promise<string> {
  const jar = path.join(CACHE_DIR, 'emulator', 'DynamoDBLocal.jar');
  if (existsSync(jar)) return path.dirname(jar);
  await mkdir(CACHE_DIR, { recursive: true });
  const pack = spawnSync('npm', ['pack', SIMULATOR, '--pack-destination', CACHE_DIR, '--silent'], { encoding: 'utf8' });
  if (pack.status !== 0) throw new Error(`npm pack ${SIMULATOR} failed: ${pack.stderr}`);
  const tarball = (await readdir(CACHE_DIR)).find((name) => name.endsWith('.tgz'));
  if (!tarball) throw new Error(`npm pack ${SIMULATOR} produced no tarball in ${CACHE_DIR}`);
  const untar = spawnSync('tar', ['xzf', tarball, '--strip-components=1', 'package/emulator'], {
    cwd: CACHE_DIR,
    encoding: 'utf8',
  });
  if (untar.status !== 0) throw new Error(`extracting DynamoDB Local failed: ${untar.stderr}`);
  await rm(path.join(CACHE_DIR, tarball));
  return path.dirname(jar);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function startDynamoDbLocal(): Promise<RunningDynamoDbLocal> {
  const emulatorDir = await ensureEmulator();
  const port = await freePort();
  const child: ChildProcess = spawn(
    'java',
    ['-Djava.library.path=./DynamoDBLocal_lib', '-jar', 'DynamoDBLocal.jar', '-inMemory', '-port', String(port), '-disableTelemetry'],
    { cwd: emulatorDir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`DynamoDB Local exited with ${child.exitCode}:\n${output}`);
    if (await isListening(endpoint)) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`DynamoDB Local did not start within 60 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    endpoint,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function isListening(endpoint: string): Promise<boolean> {
  try {
    await fetch(endpoint, { method: 'GET', signal: AbortSignal.timeout(1000) });
    return true;
  } catch {
    return false;
  }
}
