/**
 * The type of a stored document, derived from its mongoose schema definition so that each
 * collection's shape is written once: `new Schema<StoredDoc<typeof definition>>(definition)`.
 *
 * It is mongoose's raw (lean) inference, with one correction: mongoose makes a path whose
 * default is null optional, but the default is written on every insert, so such a path is
 * present (`T | null`) unless it is named in `AbsentOnOlder` (documents stored before the path
 * existed lack it). A nested path (an object of paths) is always written, so present too. A
 * path with no default stays optional; `allowNull: false` keeps null out of its type.
 * Subdocuments take the type of their own schema.
 */
import type { InferRawDocTypeWithout_id } from 'mongoose';

/** The paths whose default is null. */
type NullDefaultPaths<Definition> = { [K in keyof Definition]: Definition[K] extends { default: null } ? K : never }[keyof Definition];

/** The nested paths (an object of paths, not a subdocument): mongoose always writes them. */
type NestedPaths<Definition> = {
  [K in keyof Definition]: Definition[K] extends { type: unknown } ? never : Definition[K] extends Record<string, object> ? K : never;
}[keyof Definition];

type Flatten<T> = { [K in keyof T]: T[K] };

export type StoredDoc<Definition, AbsentOnOlder extends keyof Definition = never> =
  InferRawDocTypeWithout_id<Definition> extends infer Raw
    ? Flatten<
        Omit<Raw, Exclude<NullDefaultPaths<Definition>, AbsentOnOlder> | NestedPaths<Definition>> & {
          [K in Exclude<NullDefaultPaths<Definition>, AbsentOnOlder> & keyof Raw]-?: Exclude<Raw[K], undefined>;
        } & { [K in NestedPaths<Definition> & keyof Raw]-?: Exclude<Raw[K], undefined | null> }
      >
    : never;

/**
 * A stored document with its `Mixed` paths given the types written beside the schema (mongoose
 * infers `any` for them): each key of `Paths` must be a path of the document.
 */
export type WithMixedPaths<Doc, Paths extends { [K in keyof Paths]: K extends keyof Doc ? unknown : never }> = Flatten<Omit<Doc, keyof Paths> & Paths>;
