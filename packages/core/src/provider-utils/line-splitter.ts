/**
 * Splits decoded text into lines on `\n`, `\r\n` or a lone `\r`, across chunk boundaries (a `\r` ending one
 * chunk and a `\n` starting the next are one terminator). Shared by the SSE and NDJSON parsers.
 */
export class LineSplitter {
  private buffer = '';
  private skipLeadingLF = false;

  /** Feeds text; returns the complete lines it finished. */
  push(text: string): string[] {
    if (text.length === 0) return [];
    let input = text;
    if (this.skipLeadingLF) {
      this.skipLeadingLF = false;
      if (input.charCodeAt(0) === 10) input = input.slice(1);
    }
    const buffer = this.buffer + input;
    const lines: string[] = [];
    let start = 0;
    for (let i = 0; i < buffer.length; i++) {
      const code = buffer.charCodeAt(i);
      if (code !== 10 && code !== 13) continue;
      lines.push(buffer.slice(start, i));
      if (code === 13) {
        if (i + 1 < buffer.length) {
          if (buffer.charCodeAt(i + 1) === 10) i++;
        } else {
          // A CR at the very end: the LF, if any, is in the next chunk.
          this.skipLeadingLF = true;
        }
      }
      start = i + 1;
    }
    this.buffer = buffer.slice(start);
    return lines;
  }

  /** The unterminated rest, if any, at end of input. */
  flush(): string | undefined {
    const rest = this.buffer;
    this.buffer = '';
    return rest.length > 0 ? rest : undefined;
  }
}
