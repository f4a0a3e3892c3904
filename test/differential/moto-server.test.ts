/** `tools/moto-server.ts`: start, answer, stop; a clear error when moto_server is missing. */
import type { MotoServer } from '../../tools/moto-server.js';
import { startMotoServer } from '../../tools/moto-server.js';

const answers = async (endpoint: string): Promise<boolean> => {
  try {
    const response = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(2_000) });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
};

describe('startMotoServer', () => {
  let server: MotoServer | undefined;

  afterAll(async () => {
    await server?.stop();
  });

  it('listens on a free 127.0.0.1 port and is gone after stop()', async () => {
    // Prepare
    server = await startMotoServer();
    const { endpoint } = server;
    const before = await answers(endpoint);

    // Act
    await server.stop();

    // Assess
    expect(endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(before).toBe(true);
    expect(await answers(endpoint)).toBe(false);
  });

  it('names the missing executable and how to install it', async () => {
    // Prepare
    const command = 'moto_server-not-installed-here';

    // Act
    const outcome = startMotoServer({ command });

    // Assess
    await expect(outcome).rejects.toMatchObject({
      name: 'MotoServerMissingError',
      message: expect.stringContaining("pip install 'moto[server]'"),
    });
  });
});
