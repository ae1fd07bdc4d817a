/** The mongoose shape of a coded value ({system, code, display}), shared by every subgraph's models. */
import { Schema } from 'mongoose';
import type { CodingValue } from './entity-refs';

export const codingSchema = new Schema<CodingValue>(
  {
    system: { type: String, required: true },
    code: { type: String, required: true },
    display: { type: String, required: true },
  },
  { _id: false },
);
