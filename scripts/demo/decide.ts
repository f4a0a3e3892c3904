/**
 * The CLI line of an event's `decide` choice (src/notifications/detail.ts `cliLine`) as the
 * argument list a shell would pass: words split on spaces, single quotes removed (`'\''` is a
 * quote inside a quoted word). The demo runs the line it finds in the event; the tests do too.
 */

/** The words of `line` as a POSIX shell splits it (unquoted words and single-quoted parts only). */
export const shellWords = (line: string): string[] => {
  const words: string[] = [];
  let word: string | undefined;
  for (let at = 0; at < line.length; at++) {
    const char = line[at] ?? '';
    if (char === "'") {
      const end = line.indexOf("'", at + 1);
      if (end < 0) throw new Error('unterminated quote in the CLI line');
      word = (word ?? '') + line.slice(at + 1, end);
      at = end;
    } else if (char === '\\' && line[at + 1] === "'") {
      word = `${word ?? ''}'`;
      at += 1;
    } else if (char === ' ') {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else {
      word = (word ?? '') + char;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
};

/** The arguments after `npx rotation-remediator` of a CLI line. */
export const cliArgsOf = (line: string): string[] => {
  const [npx, program, ...args] = shellWords(line);
  if (npx !== 'npx' || program !== 'rotation-remediator') {
    throw new Error('not a rotation-remediator CLI line');
  }
  return args;
};
