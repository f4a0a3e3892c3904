/**
 * onFirstUse: the Lambda's Secrets Manager client is made on its first use, so an event that never
 * calls AWS never loads the SDK; every use goes to the one object, which the SDK's own checks accept.
 */
import {
  ListSecretsCommand,
  paginateListSecrets,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { onFirstUse } from '../../../src/aws/on-first-use.js';

class Counter {
  public count = 0;
  public readonly label = 'counter';

  public increment(): number {
    this.count += 1;
    return this.count;
  }
}

describe('onFirstUse', () => {
  it('makes nothing until the object is used', () => {
    // Prepare
    const create = jest.fn(() => new Counter());
    // Act
    const deferred = onFirstUse(create);
    // Assess
    expect(create).not.toHaveBeenCalled();
    expect(deferred.isLoaded()).toBe(false);
  });

  it.each([
    ['a property read', (value: Counter) => value.label],
    ['a method call', (value: Counter) => value.increment()],
    ['a property write', (value: Counter) => Object.assign(value, { count: 5 })],
    ['`in`', (value: Counter) => 'count' in value],
    ['`instanceof`', (value: Counter) => value instanceof Counter],
  ])('makes the object once, on %s', (_use, use) => {
    // Prepare
    const create = jest.fn(() => new Counter());
    const deferred = onFirstUse(create);
    // Act
    use(deferred.value);
    use(deferred.value);
    // Assess
    expect(create).toHaveBeenCalledTimes(1);
    expect(deferred.isLoaded()).toBe(true);
  });

  it('forwards every use to the one object: methods run on it, writes land on it', () => {
    // Prepare
    const deferred = onFirstUse(() => new Counter());
    // Act
    deferred.value.increment();
    const { increment } = deferred.value;
    increment();
    deferred.value.count += 10;
    // Assess
    expect(deferred.load().count).toBe(12);
    expect(deferred.value.count).toBe(12);
    expect(deferred.value instanceof Counter).toBe(true);
  });

  it('load() makes it now, and returns the same object every time', () => {
    // Prepare
    const create = jest.fn(() => new Counter());
    const deferred = onFirstUse(create);
    // Act
    const first = deferred.load();
    const second = deferred.load();
    // Assess
    expect(first).toBe(second);
    expect(create).toHaveBeenCalledTimes(1);
  });

  it('lets a creation error through, and tries again on the next use', () => {
    // Prepare
    const create = jest
      .fn<Counter, []>()
      .mockImplementationOnce(() => {
        throw new Error('no region');
      })
      .mockImplementation(() => new Counter());
    const deferred = onFirstUse(create);
    // Act & Assess
    expect(() => deferred.value.label).toThrow('no region');
    expect(deferred.isLoaded()).toBe(false);
    expect(deferred.value.label).toBe('counter');
  });

  it("passes the SDK paginator's client check and sends through the real client", async () => {
    // Prepare: a client whose one middleware answers instead of the network
    const deferred = onFirstUse(() => {
      const client = new SecretsManagerClient({
        region: 'us-east-1',
        credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
      });
      client.middlewareStack.add(
        () => async () => ({ output: { SecretList: [], $metadata: {} }, response: {} }),
        { step: 'initialize', name: 'answer' }
      );
      return client;
    });
    // Act
    const pages = [];
    for await (const page of paginateListSecrets({ client: deferred.value }, {})) pages.push(page);
    const sent = await deferred.value.send(new ListSecretsCommand({}));
    // Assess
    expect(pages).toEqual([{ SecretList: [], $metadata: {} }]);
    expect(sent.SecretList).toEqual([]);
  });
});
