/**
 * An object made on first use. The Lambda's Secrets Manager client is one: loading and
 * constructing the SDK is most of a cold start, and an alarm returning to OK or a rejected event
 * never calls AWS. The stand-in forwards every use to the object, which it makes on the first
 * one; `instanceof` sees the object's class (the SDK's paginators check the client with it).
 */

/** A deferred object: `value` stands in for it; `load()` makes it now (at most once). */
export interface Deferred<T extends object> {
  /** Stands in for the object: the first property read, write or `instanceof` makes it. */
  readonly value: T;
  /** Makes the object unless made already, and returns it. */
  load(): T;
  /** Whether the object has been made. */
  isLoaded(): boolean;
}

/** Defers `create` until the object is first used (or `load()` is called). */
export const onFirstUse = <T extends object>(create: () => T): Deferred<T> => {
  let made: T | undefined;
  const load = (): T => {
    made ??= create();
    return made;
  };
  const value = new Proxy(Object.create(null) as T, {
    get: (_stub, key) => {
      const target = load();
      const property: unknown = Reflect.get(target, key, target);
      return typeof property === 'function' ? property.bind(target) : property;
    },
    set: (_stub, key, property) => Reflect.set(load(), key, property),
    has: (_stub, key) => Reflect.has(load(), key),
    getPrototypeOf: () => Object.getPrototypeOf(load()),
  });
  return { value, load, isLoaded: () => made !== undefined };
};
