/**
 * The code of one warm Lambda instance, run in a worker thread (`new Worker(WORKER_SOURCE, { eval: true })`).
 * Kept as JavaScript text so it runs the same from TypeScript sources (ts-node, jest) and compiled JS.
 *
 * The instance loads the handler once (Lambda's init phase), then serves one invocation at a time:
 * `{ type: 'invoke', id, event, context }` → `{ type: 'result', id, result }` or
 * `{ type: 'error', id, error: { errorType, errorMessage, trace } }`, the shape Lambda returns for a
 * function error. Async handlers, promise-returning handlers and callback handlers are supported.
 */
export const WORKER_SOURCE = String.raw`
'use strict';
const { parentPort, workerData } = require('worker_threads');
const Module = require('module');
const path = require('path');
const fs = require('fs');
const { pathToFileURL } = require('url');

// Lambda's Node.js runtimes ship the AWS SDK v3; bundles leave it external. Resolve it (and other
// runtime-provided modules) from the project's node_modules when the code's own tree lacks them.
if (workerData.nodePaths.length > 0) {
  process.env.NODE_PATH = workerData.nodePaths.join(path.delimiter);
  Module._initPaths();
}
// The SDK warns about the Node.js version of this machine; Lambda's runtime would not.
const emitWarning = process.emitWarning;
process.emitWarning = function (warning, ...rest) {
  const type = typeof rest[0] === 'string' ? rest[0] : rest[0] && rest[0].type;
  if (type === 'NodeVersionSupportWarning' || (warning && warning.name === 'NodeVersionSupportWarning')) { return; }
  return emitWarning.call(process, warning, ...rest);
};
if (String(process.env.NODE_OPTIONS || '').includes('--enable-source-maps') && process.setSourceMapsEnabled) {
  process.setSourceMapsEnabled(true);
}

function toError(err) {
  if (err instanceof Error) {
    return { errorType: err.name || 'Error', errorMessage: err.message, trace: String(err.stack || '').split('\n') };
  }
  return { errorType: 'Error', errorMessage: typeof err === 'string' ? err : JSON.stringify(err), trace: [] };
}

async function loadHandler() {
  const handler = workerData.handler;
  const dot = handler.lastIndexOf('.');
  const modulePath = handler.slice(0, dot);
  const exportPath = handler.slice(dot + 1);
  const base = path.resolve(workerData.codeDirectory, modulePath);
  const file = ['.js', '.cjs', '.mjs', ''].map(ext => base + ext).find(f => fs.existsSync(f) && fs.statSync(f).isFile());
  if (!file) {
    const e = new Error('Cannot find module \'' + modulePath + '\'');
    e.name = 'Runtime.ImportModuleError';
    throw e;
  }
  let mod;
  if (file.endsWith('.mjs')) {
    mod = await import(pathToFileURL(file).href);
  } else {
    try {
      mod = require(file);
    } catch (err) {
      if (err && err.code === 'ERR_REQUIRE_ESM') {
        mod = await import(pathToFileURL(file).href);
      } else {
        throw err;
      }
    }
  }
  let fn = mod;
  for (const part of exportPath.split('.')) {
    fn = fn == null ? undefined : fn[part];
  }
  if (typeof fn !== 'function' && mod && mod.default) {
    fn = mod.default[exportPath];
  }
  if (typeof fn !== 'function') {
    const e = new Error(handler + ' is undefined or not exported');
    e.name = 'Runtime.HandlerNotFound';
    throw e;
  }
  return fn;
}

function invoke(fn, event, context) {
  return new Promise((resolve, reject) => {
    let settled = false;
    const done = (err, result) => {
      if (settled) { return; }
      settled = true;
      if (err !== null && err !== undefined) { reject(err); } else { resolve(result); }
    };
    context.done = done;
    context.succeed = result => done(null, result);
    context.fail = err => done(err === undefined ? new Error('handled') : err);
    try {
      const returned = fn(event, context, done);
      if (returned && typeof returned.then === 'function') {
        returned.then(result => done(null, result), err => done(err === undefined ? new Error('undefined') : err));
      } else if (fn.length < 3) {
        done(null, returned);
      }
    } catch (err) {
      done(err);
    }
  });
}

const ready = loadHandler();
ready.then(() => parentPort.postMessage({ type: 'ready' }), err => parentPort.postMessage({ type: 'init-error', error: toError(err) }));

parentPort.on('message', async message => {
  if (message.type !== 'invoke') { return; }
  const { id, event, context: base } = message;
  const context = {
    ...base,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, base.deadlineMs - Date.now()),
  };
  try {
    const fn = await ready;
    const result = await invoke(fn, event, context);
    let payload;
    try {
      payload = result === undefined ? undefined : JSON.parse(JSON.stringify(result));
    } catch (err) {
      parentPort.postMessage({ type: 'error', id, error: { errorType: 'Runtime.ResponseSerializationError', errorMessage: String(err && err.message), trace: [] } });
      return;
    }
    parentPort.postMessage({ type: 'result', id, result: payload });
  } catch (err) {
    parentPort.postMessage({ type: 'error', id, error: toError(err) });
  }
});
`;
