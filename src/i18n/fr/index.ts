/** The French catalogue: the same keys as ../en/, area by area (the compiler checks each file). */
import type { Area, EN_AREAS } from '../en/index.js';
import books from './books.js';
import common from './common.js';
import digest from './digest.js';
import documents from './documents.js';
import dunning from './dunning.js';
import logo from './logo.js';

export const FR_AREAS: { [A in Area]: Record<keyof (typeof EN_AREAS)[A], string> } = { common, documents, dunning, books, digest, logo };
