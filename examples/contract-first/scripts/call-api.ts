// A small script calling the deployed bookshop with the generated, typed client:
//   npm run call -- https://<restApiId>.execute-api.<region>.amazonaws.com/dev <api key>
// An unknown path or a body that is not a NewBook does not compile.
import { createApiClient } from '../generated/client';

/** Creates a book, reads it back and lists a page; returns what it did, line by line. */
export async function callApi(baseUrl: string, apiKey: string): Promise<string[]> {
  const shop = createApiClient({ baseUrl, auth: { apiKey } });
  const created = await shop.POST('/books', { body: { title: 'The Left Hand of Darkness', author: 'Ursula K. Le Guin', year: 1969 } });
  if (!created.data) {
    throw new Error(`createBook answered ${created.response.status}: ${JSON.stringify(created.error)}`);
  }
  const read = await shop.GET('/books/{bookId}', { params: { path: { bookId: created.data.bookId } } });
  const page = await shop.GET('/books', { params: { query: { limit: 10 } } });
  return [`created ${created.data.bookId}`, `read ${read.data?.title ?? '(none)'}`, `listed ${page.data?.books.length ?? 0} books`];
}

if (require.main === module) {
  const [baseUrl, apiKey] = process.argv.slice(2);
  if (!baseUrl || !apiKey) {
    console.error('usage: call-api.ts <stage URL> <API key>');
    process.exit(2);
  }
  callApi(baseUrl, apiKey).then(lines => lines.forEach(l => console.log(l)), err => {
    console.error(err);
    process.exit(1);
  });
}
