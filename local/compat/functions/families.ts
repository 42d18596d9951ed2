/** The function families, set up in this order (see family.ts for how to add one). */
import type { FunctionFamily } from './family.js';
import { arithmetic } from './arithmetic.js';
import { conditional } from './conditional.js';
import { contextFunctions } from './context.js';
import { conversion } from './conversion.js';
import { datetime } from './datetime.js';
import { flatten } from './flatten.js';
import { hashes } from './hashes.js';
import { math } from './math.js';
import { numericFormats } from './numeric-format.js';
import { regexp } from './regexp.js';
import { semiStructured } from './semi-structured.js';
import { semiStructuredAggregates } from './semi-structured-aggregates.js';
import { semiStructuredArrays } from './semi-structured-arrays.js';
import { semiStructuredObjects } from './semi-structured-objects.js';
import { semiStructuredPaths } from './semi-structured-paths.js';
import { semiStructuredTypes } from './semi-structured-types.js';
import { strings } from './strings.js';
import { transactionContext } from './transaction-context.js';

export const FUNCTION_FAMILIES: readonly FunctionFamily[] = [
  semiStructuredPaths,
  arithmetic,
  conditional,
  strings,
  regexp,
  math,
  hashes,
  conversion,
  semiStructured,
  semiStructuredArrays,
  semiStructuredTypes,
  semiStructuredObjects,
  semiStructuredAggregates,
  flatten,
  contextFunctions,
  transactionContext,
  numericFormats,
  datetime,
];
