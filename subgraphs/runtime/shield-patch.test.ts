/**
 * graphql-shield 7.6.5 calls util.isUndefined, which Node 23 removed; the committed patch
 * replaces it. Without the patch `chain` and `race` throw instead of deciding.
 */
import { allow, chain, deny, race, rule } from 'graphql-shield';

const info = {} as never;
const yes = rule({ cache: 'no_cache' })(() => true);
const no = rule({ cache: 'no_cache' })(() => false);

const resolve = (composed: ReturnType<typeof chain>) =>
  composed.resolve({}, {}, { _shield: { cache: {} } }, info, {
    allowExternalErrors: false,
    debug: false,
    fallbackRule: deny,
    fallbackError: new Error('denied'),
    hashFunction: () => '',
  });

it('chain allows only when every rule allows', async () => {
  expect(await resolve(chain(yes, allow))).toBe(true);
  expect(await resolve(chain(yes, no))).not.toBe(true);
});

it('race allows when any rule allows', async () => {
  expect(await resolve(race(no, yes))).toBe(true);
  expect(await resolve(race(no, deny))).not.toBe(true);
});
