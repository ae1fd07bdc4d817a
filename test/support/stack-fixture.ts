/**
 * One test stack per file (or per describe block): `useStack` starts a TestStack in beforeAll,
 * stops it in afterAll, and gives the file the helpers every stack test uses.
 */
import { type StackOptions, TestStack } from './stack';

export interface StackHooks {
  /** Runs after the tests, just before the stack stops: checks on what the stack saw over the whole file. */
  beforeStop?: (stack: TestStack) => void | Promise<void>;
}

export interface StackFixture {
  /**
   * The running stack. Destructure it at the top of the file; it stands for the stack started
   * in beforeAll, so use it inside tests and hooks (outside them it throws).
   */
  readonly stack: TestStack;
  /** Sends `query` and expects an answer without errors: its data. */
  ok(token: string, query: string, variables?: Record<string, unknown>): Promise<Record<string, any>>;
  /** Sends `query`: the code of each error of the answer, in order ([] when there is none). */
  codes(token: string, query: string, variables?: Record<string, unknown>): Promise<(string | undefined)[]>;
}

/**
 * Registers the stack's beforeAll and afterAll where it is called. `options` may be a function,
 * read in beforeAll, when they depend on something an earlier beforeAll started (a hung
 * server's port, say). `setup` runs once the stack is up (fixtures shared by the file's tests).
 * A file's own afterAll declared after this call runs after the stack has stopped.
 */
export function useStack(options: StackOptions | (() => StackOptions) = {}, setup?: (stack: TestStack) => Promise<void>, hooks: StackHooks = {}): StackFixture {
  let running: TestStack | undefined;
  const stack = standIn(() => running);
  beforeAll(async () => {
    running = await TestStack.start(typeof options === 'function' ? options() : options);
    await setup?.(stack);
  });
  afterAll(async () => {
    if (!running) return;
    try {
      await hooks.beforeStop?.(stack);
    } finally {
      await running.stop();
    }
  });
  return {
    stack,
    async ok(token, query, variables) {
      const { body } = await stack.query(token, query, variables);
      expect(body.errors).toBeUndefined();
      return body.data!;
    },
    async codes(token, query, variables) {
      const { body } = await stack.query(token, query, variables);
      return (body.errors ?? []).map((error) => error.extensions?.code);
    },
  };
}

/**
 * Forwards every use to the stack `current` returns. A file names its stack once, at load
 * time, before beforeAll has started it; fixtures keyed by the stack (modelsOf) see this one
 * object throughout.
 */
function standIn(current: () => TestStack | undefined): TestStack {
  return new Proxy({} as TestStack, {
    get(_target, property) {
      const stack = current();
      if (!stack) throw new Error(`The test stack is not running: use it inside tests and hooks (it was asked for ${String(property)})`);
      const value = Reflect.get(stack, property, stack);
      return typeof value === 'function' ? value.bind(stack) : value;
    },
  });
}
