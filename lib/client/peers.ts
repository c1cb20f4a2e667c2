// First import of the entry point: names the missing AWS SDK package before route-invoker's import fails.
import { CLIENT_PEERS, requirePeers } from '../runtime/peer-dependencies';

requirePeers('serverless-api-constructs/client', CLIENT_PEERS);
