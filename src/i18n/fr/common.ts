import type en from '../en/common.js';

export default {
  'common.unexpected': 'erreur inattendue : {message}',
} satisfies Record<keyof typeof en, string>;
