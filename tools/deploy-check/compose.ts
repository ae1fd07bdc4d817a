/**
 * The compose file checked offline with dclint: the Compose Specification's JSON schema
 * (unknown keys and wrong types are errors) and the lint rules that matter for safety, not style.
 */
import { DCLinter } from 'dclint';

/** What this check reads of dclint's results. */
interface LintMessages {
  messages: { rule: string; line: number; message: string }[];
}

/** dclint turns on every rule not set to 0: the ordering and quoting rules are style, and compose builds the image it names. */
const RULES = {
  'service-image-require-explicit-tag': 2,
  'no-unbound-port-interfaces': 2,
  'no-duplicate-exported-ports': 2,
  'no-duplicate-container-names': 2,
  'require-project-name-field': 2,
  'no-version-field': 2,
  'service-container-name-regex': 2,
  'no-build-and-image': 0,
  'no-quotes-in-volumes': 0,
  'require-quotes-in-ports': 0,
  'service-dependencies-alphabetical-order': 0,
  'service-keys-order': 0,
  'service-ports-alphabetical-order': 0,
  'services-alphabetical-order': 0,
  'top-level-properties-order': 0,
} as const;

/** What is wrong with the compose file, one line per problem; empty when it is valid. */
export function composeProblems(file: string): string[] {
  const linter = new DCLinter({ rules: RULES, quiet: true, debug: false, exclude: [] });
  const results: LintMessages[] = linter.lintFiles([file], false);
  return results.flatMap((result) => result.messages.map((message) => `${message.rule} (line ${message.line}): ${message.message}`));
}
