/** Messages shared by every command: the program, help, commander's errors, the error handler. */
export default {
  'common.unexpected': 'unexpected error: {message}',
} as const;
