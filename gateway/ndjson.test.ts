import { eagerLines, type NdjsonLine, splitLines } from './ndjson';

const LIMITS = { UPLOAD_MAX_BYTES: 1_000, UPLOAD_MAX_LINES: 100 };

async function collect(source: AsyncIterable<NdjsonLine>): Promise<{ lines: NdjsonLine[]; error?: string }> {
  const lines: NdjsonLine[] = [];
  try {
    for await (const line of source) lines.push(line);
    return { lines };
  } catch (error) {
    return { lines, error: (error as Error).message };
  }
}

async function* chunks(...parts: (string | Buffer)[]) {
  for (const part of parts) yield typeof part === 'string' ? Buffer.from(part) : part;
}

it('splits lines across chunks, a character split between chunks included; blank lines are counted, not yielded', async () => {
  const text = Buffer.from('{"a":"病历"}\r\n\n{"b":2}');
  const { lines } = await collect(splitLines(chunks(text.subarray(0, 8), text.subarray(8, 17), text.subarray(17)), LIMITS));
  expect(lines).toEqual([
    { line: 1, text: '{"a":"病历"}', terminated: true },
    { line: 3, text: '{"b":2}', terminated: false },
  ]);
});

it('stops at the first line past the byte limit, however the body was cut into chunks', async () => {
  const body = `${'x'.repeat(9)}\n${'y'.repeat(9)}\n${'z'.repeat(9)}\n`;
  for (const parts of [[body], [body.slice(0, 5), body.slice(5, 25), body.slice(25)]]) {
    expect(await collect(splitLines(chunks(...parts), { UPLOAD_MAX_BYTES: 25, UPLOAD_MAX_LINES: 10 }))).toEqual({
      lines: [
        { line: 1, text: 'x'.repeat(9), terminated: true },
        { line: 2, text: 'y'.repeat(9), terminated: true },
      ],
      error: 'The batch is larger than 25 bytes (UPLOAD_MAX_BYTES); lines after 2 were not read',
    });
  }
});

it('stops past the line limit', async () => {
  const { lines, error } = await collect(splitLines(chunks('1\n2\n3\n'), { UPLOAD_MAX_BYTES: 100, UPLOAD_MAX_LINES: 2 }));
  expect(lines.map((line) => line.text)).toEqual(['1', '2']);
  expect(error).toBe('The batch has more than 2 lines (UPLOAD_MAX_LINES); lines after 2 were not read');
});

it('eagerLines hands over every line read before the source failed, then the failure', async () => {
  async function* failing() {
    yield Buffer.from('{"a":1}\n{"b":2}\n{"c":');
    throw new Error('aborted');
  }
  expect(await collect(eagerLines(splitLines(failing(), LIMITS)))).toEqual({
    lines: [
      { line: 1, text: '{"a":1}', terminated: true },
      { line: 2, text: '{"b":2}', terminated: true },
    ],
    error: 'aborted',
  });
});

it('joins a line that arrives in many chunks once it ends, a character split byte by byte included', async () => {
  const bytes = [...Buffer.from('{"a":"病历')].map((byte) => Buffer.from([byte]));
  const { lines } = await collect(splitLines(chunks(...bytes, '"}', '\n{"b"', ':2}\n'), LIMITS));
  expect(lines).toEqual([
    { line: 1, text: '{"a":"病历"}', terminated: true },
    { line: 2, text: '{"b":2}', terminated: true },
  ]);
});

it('ends lines at LF only: a trailing CR is dropped, a CR inside a line stays, a last line keeps terminated false', async () => {
  const { lines } = await collect(splitLines(chunks('{"a":1}\r{"b":2}\r', '\n{"c":3}\r'), LIMITS));
  expect(lines).toEqual([
    { line: 1, text: '{"a":1}\r{"b":2}', terminated: true },
    { line: 2, text: '{"c":3}', terminated: false },
  ]);
});

it('counts bytes, not characters, the CR of a CRLF and each newline included: a body exactly at the limit passes, one byte more stops', async () => {
  // '病历\r\n' is 3 + 3 + 1 + 1 = 8 bytes, 'ok' 2 more: 10 in all.
  const body = '病历\r\nok';
  expect(await collect(splitLines(chunks(body), { UPLOAD_MAX_BYTES: 10, UPLOAD_MAX_LINES: 10 }))).toEqual({
    lines: [
      { line: 1, text: '病历', terminated: true },
      { line: 2, text: 'ok', terminated: false },
    ],
  });
  expect(await collect(splitLines(chunks(body), { UPLOAD_MAX_BYTES: 9, UPLOAD_MAX_LINES: 10 }))).toEqual({
    lines: [{ line: 1, text: '病历', terminated: true }],
    error: 'The batch is larger than 9 bytes (UPLOAD_MAX_BYTES); lines after 1 were not read',
  });
  expect(await collect(splitLines(chunks(body), { UPLOAD_MAX_BYTES: 7, UPLOAD_MAX_LINES: 10 }))).toEqual({
    lines: [],
    error: 'The batch is larger than 7 bytes (UPLOAD_MAX_BYTES); lines after 0 were not read',
  });
});

it('stops a line that never ends as soon as it passes the byte limit, without reading further', async () => {
  async function* endless() {
    yield Buffer.from('{"a":1}\n');
    for (let chunk = 0; chunk < 3; chunk++) yield Buffer.from('x'.repeat(4));
    throw new Error('read past the limit');
  }
  expect(await collect(splitLines(endless(), { UPLOAD_MAX_BYTES: 18, UPLOAD_MAX_LINES: 10 }))).toEqual({
    lines: [{ line: 1, text: '{"a":1}', terminated: true }],
    error: 'The batch is larger than 18 bytes (UPLOAD_MAX_BYTES); lines after 1 were not read',
  });
});

it('lets exactly the line limit through, blank lines not counted', async () => {
  expect(await collect(splitLines(chunks('1\n\n2\n'), { UPLOAD_MAX_BYTES: 100, UPLOAD_MAX_LINES: 2 }))).toEqual({
    lines: [
      { line: 1, text: '1', terminated: true },
      { line: 3, text: '2', terminated: true },
    ],
  });
});
