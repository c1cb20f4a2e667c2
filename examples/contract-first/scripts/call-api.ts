// A small script calling the deployed bookshop with the generated, typed client:
//   npx ts-node --transpile-only scripts/call-api.ts https://<restApiId>.execute-api.<region>.amazonaws.com/dev <api key>
// An unknown path or a body that is not a NewBook does not compile.
import { createApiClient } from '../generated/client';

async function main(baseUrl: string, apiKey: string): Promise<void> {
  const shop = createApiClient({ baseUrl, auth: { apiKey } });
  const created = await shop.POST('/books', { body: { title: 'The Left Hand of Darkness', author: 'Ursula K. Le Guin', year: 1969 } });
  if (!created.data) {
    throw new Error(`createBook answered ${created.response.status}: ${JSON.stringify(created.error)}`);
  }
  console.log('created', created.data.bookId);
  const read = await shop.GET('/books/{bookId}', { params: { path: { bookId: created.data.bookId } } });
  console.log('read', read.data?.title);
  const page = await shop.GET('/books', { params: { query: { limit: 10 } } });
  console.log('listed', page.data?.books.length ?? 0, 'books');
}

const [baseUrl, apiKey] = process.argv.slice(2);
if (!baseUrl || !apiKey) {
  console.error('usage: call-api.ts <stage URL> <API key>');
  process.exit(2);
}
main(baseUrl, apiKey).catch(err => {
  console.error(err);
  process.exit(1);
});
