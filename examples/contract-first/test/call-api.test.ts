import * as http from 'http';
import type { AddressInfo } from 'net';
import { callApi } from '../scripts/call-api';

/** The bookshop's contract answered by a loopback server: what the script sends is what it checks. */
test('the script calls the API with the generated client: the API key on createBook only, typed answers', async () => {
  const seen: Array<{ method?: string; url?: string; key?: string | string[]; body: string }> = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', c => { body += c; });
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, key: req.headers['x-api-key'], body });
      res.setHeader('content-type', 'application/json');
      if (req.method === 'POST') {
        res.statusCode = 201;
        res.end(JSON.stringify({ bookId: 'b-1', ...JSON.parse(body) }));
      } else if (req.url === '/dev/books/b-1') {
        res.end(JSON.stringify({ bookId: 'b-1', title: 'The Left Hand of Darkness', author: 'Ursula K. Le Guin' }));
      } else {
        res.end(JSON.stringify({ books: [{ bookId: 'b-1', title: 't', author: 'a' }] }));
      }
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  try {
    const lines = await callApi(`http://127.0.0.1:${(server.address() as AddressInfo).port}/dev`, 'key-1');
    expect(lines).toEqual(['created b-1', 'read The Left Hand of Darkness', 'listed 1 books']);
    expect(seen.map(s => `${s.method} ${s.url} ${String(s.key ?? '-')}`)).toEqual(['POST /dev/books key-1', 'GET /dev/books/b-1 -', 'GET /dev/books?limit=10 -']);
    expect(JSON.parse(seen[0].body)).toEqual({ title: 'The Left Hand of Darkness', author: 'Ursula K. Le Guin', year: 1969 });
  } finally {
    await new Promise<void>(resolve => server.close(() => resolve()));
  }
});
