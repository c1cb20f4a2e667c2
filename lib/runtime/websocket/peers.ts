// First import of the entry point: names the missing AWS SDK packages before connections' imports fail.
import { requirePeers, WEBSOCKET_RUNTIME_PEERS } from '../peer-dependencies';

requirePeers('serverless-api-constructs/runtime/websocket', WEBSOCKET_RUNTIME_PEERS);
