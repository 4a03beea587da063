// Bot API emulator for the end-to-end tests: the third-party `telegram-test-api` (npm 4.2.1,
// unmodified) wrapped in a small shim that makes it speak what python-telegram-bot 22 expects.
// Each "upstream ..." comment names a gap of the package that PTB 22 would trip over.
//
//   PORT=0 BOT_USERNAME=SimbotTestBot node tests/e2e/emulator.js
//   -> prints "emulator listening on http://127.0.0.1:<port>" once it accepts connections.
//
// Bot side:  /bot<token>/<method> (GET or POST, form or JSON), as the real Bot API.
// User side: POST /sendMessage, /sendCommand, /sendCallback, /getUpdates, /getUpdatesHistory
//            (upstream; the first two now return the message_id they assigned and the time,
//            `at`, in ms, they stored it), plus
//            /_calls {since?} (every bot method call from index `since` on, parameters decoded,
//            with its arrival time `at` in ms), /_stub {method, result} (result null: back to
//            the default), /_rawUpdate {botToken, update} for update types upstream cannot make,
//            and /_fault (below) to make the bot's next calls of a method fail.
const http = require('http');
const express = require('express'); // a dependency of telegram-test-api
const TelegramServer = require('telegram-test-api');

const BOT = {
  id: Number(process.env.BOT_ID || 666),
  is_bot: true, // upstream getMe lacks it: PTB's User() refuses to start
  first_name: 'Test Bot',
  username: process.env.BOT_USERNAME || 'TestNameBot', // `/cmd@Name` must match this
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: true,
};
const server = new TelegramServer({ host: '127.0.0.1', storeTimeout: 24 * 3600 });
const seconds = (ms) => Math.floor(ms / 1000); // upstream returns dates in ms -> year 58870
const chatOf = (id) => (Number(id) < 0
  ? { id: Number(id), type: 'supergroup', title: 'Group' } // upstream always says 'private'
  : { id: Number(id), type: 'private', first_name: 'User' });
const asMessage = (rec) => ({ // a stored bot message as the Message object PTB parses
  message_id: rec.messageId,
  date: seconds(rec.time),
  from: BOT,
  chat: chatOf(rec.message.chat_id),
  text: rec.message.text,
  ...(rec.message.reply_markup?.inline_keyboard ? { reply_markup: rec.message.reply_markup } : {}),
});

// PTB form-encodes every non-string parameter as JSON; decode them once, so the call log and the
// stored messages hold objects (reply_parameters, results, reply_markup) instead of strings.
const STRING_PARAMS = new Set(['text', 'caption', 'parse_mode', 'callback_query_id',
  'inline_query_id', 'description', 'short_description', 'name', 'next_offset', 'url']);
const decode = (params) => Object.fromEntries(Object.entries(params || {}).map(([k, v]) => {
  if (typeof v !== 'string' || STRING_PARAMS.has(k)) return [k, v];
  try { return [k, JSON.parse(v)]; } catch (e) { return [k, v]; }
}));

const origFormat = TelegramServer.formatUpdate;
TelegramServer.formatUpdate = (u) => {
  if (u.raw) return { update_id: u.updateId, ...u.raw };
  const update = origFormat(u);
  if (update.callback_query) { // upstream drops chat_instance, a required field
    update.callback_query.chat_instance = String(u.callbackQuery.chat_instance || 'e2e');
  }
  if (update.message) delete update.message.botToken;
  return update;
};

const stubs = { // results for methods upstream answers with HTTP 500; override with /_stub
  answerCallbackQuery: true, // upstream returns null
  answerInlineQuery: true,
  sendChatAction: true,
  setMyCommands: true,
  deleteMyCommands: true,
  getMyCommands: [],
  setMyDescription: true,
  setMyShortDescription: true,
  setMyName: true,
  setChatMenuButton: true,
  setMessageReaction: true,
  pinChatMessage: true,
  unpinChatMessage: true,
  leaveChat: true,
  getChat: (p) => ({ ...chatOf(p.chat_id), accent_color_id: 0, max_reaction_count: 11 }),
  getChatAdministrators: [],
  getChatMember: (p) => ({ status: 'member',
    user: { id: Number(p.user_id), is_bot: false, first_name: 'User' } }),
};
const DEFAULT_STUBS = { ...stubs };
const calls = [];

// Faults: /_fault {method, chat_id?, token?, times = 1, action = 'error', status, description,
// parameters, ms} makes the next `times` calls of `method` (to `chat_id` only, and by the bot
// with `token` only, when given; any method but getUpdates) fail:
//   error  answer HTTP `status` {ok: false, error_code, description, parameters}, as Telegram does
//          (parameters: {retry_after} for 429, {migrate_to_chat_id} for a group that moved;
//          getMe with status 401 'Unauthorized' for `token`: Telegram rejecting a bot's token)
//   drop   close the connection without an answer (a connection reset)
//   hang   never answer; the connection is closed after `ms` (default 30 s) unless the bot's
//          own timeout gives up first
const faults = [];
function takeFault(method, params, token) {
  const i = faults.findIndex((f) => f.method === method
    && (f.chat_id === undefined || String(f.chat_id) === String(params.chat_id))
    && (f.token === undefined || f.token === token));
  if (i < 0) return null;
  const fault = faults[i];
  fault.times -= 1;
  if (fault.times <= 0) faults.splice(i, 1);
  return fault;
}
function inject(fault, r) {
  if (fault.action === 'drop') return r.socket.destroy();
  if (fault.action === 'hang') {
    const timer = setTimeout(() => r.socket.destroy(), fault.ms || 30000);
    return r.on('close', () => clearTimeout(timer));
  }
  const status = fault.status || 500;
  return r.status(status).json({ ok: false, error_code: status,
    description: fault.description || 'Internal Server Error',
    ...(fault.parameters ? { parameters: fault.parameters } : {}) });
}

const app = express();
app.use(express.json());
app.use(express.urlencoded({ extended: false }));

app.post('/_calls', (q, r) => r.json({ ok: true, result: calls.slice(Number(q.body.since || 0)) }));
app.post('/_stub', (q, r) => {
  const { method, result } = q.body;
  if (result === null || result === undefined) stubs[method] = DEFAULT_STUBS[method];
  else stubs[method] = result;
  r.json({ ok: true });
});
app.post('/_fault', (q, r) => {
  faults.push({ action: 'error', ...q.body, times: Number(q.body.times || 1) });
  r.json({ ok: true });
});
// A bad request body must answer 400, not crash the emulator with an unhandled rejection.
const userSide = (add) => async (q, r) => {
  const messageId = server.messageId; // upstream assigns it but answers `result: null`
  try {
    await add(q.body);
    r.json({ ok: true, result: { message_id: messageId, at: Date.now() } });
  } catch (e) {
    r.status(400).json({ ok: false, description: String(e) });
  }
};
app.post('/sendMessage', userSide((body) => server.addUserMessage(body)));
app.post('/sendCommand', userSide((body) => server.addUserCommand(body)));
app.post('/_rawUpdate', userSide(async ({ botToken, update }) => {
  // `message: {chat: {}}` keeps upstream's deleteMessage scan from tripping over this record
  await server.addUserUpdate({ ...server.getCommonFields(botToken), raw: update,
    message: { chat: {} } });
  server.emit('AddedUserMessage');
}));

const UPDATE_EVENTS = ['AddedUserMessage', 'AddedUserCommand', 'AddedUserCallbackQuery'];
// Upstream hands out every unread update at once; Telegram gives at most `limit` (1-100).
function unread(token, limit) {
  const batch = [];
  for (const update of server.storage.userMessages) {
    if (batch.length >= limit) break;
    if (update.botToken === token && !update.isRead) batch.push(update);
  }
  return batch.map((update) => {
    update.isRead = true; // as upstream: handed out = confirmed (it ignores `offset`)
    return TelegramServer.formatUpdate(update);
  });
}
function longPoll(token, timeout, limit, r) { // upstream ignores `timeout`: PTB would busy-poll
  const first = unread(token, limit);
  if (first.length || timeout <= 0) return r.json({ ok: true, result: first });
  let finished = false;
  const stop = () => {
    finished = true;
    clearTimeout(timer);
    UPDATE_EVENTS.forEach((e) => server.off(e, wake));
  };
  const answer = () => {
    if (finished) return;
    stop();
    r.json({ ok: true, result: unread(token, limit) });
  };
  const wake = () => setImmediate(answer);
  const timer = setTimeout(answer, Math.min(timeout, 10) * 1000);
  UPDATE_EVENTS.forEach((e) => server.on(e, wake));
  r.on('close', () => { if (!finished) stop(); }); // client gone: leave updates unread
  return undefined;
}

app.all('/bot:token/:method', (q, r, next) => {
  const { token, method } = q.params;
  const params = decode({ ...q.query, ...q.body });
  q.body = params; // upstream handlers read the decoded values too
  const fault = method === 'getUpdates' ? null : takeFault(method, params, token);
  calls.push({ method, token, params, at: Date.now(), ...(fault ? { fault: fault.action } : {}) });
  if (fault) return inject(fault, r);
  if (method === 'getMe') return r.json({ ok: true, result: BOT });
  if (method === 'getUpdates') {
    const limit = Math.min(Math.max(Number(params.limit) || 100, 1), 100);
    return longPoll(token, Number(params.timeout || 0), limit, r);
  }
  if (method === 'sendMessage') {
    const messageId = server.messageId;
    server.addBotMessage(params, token); // its own result has a ms date and a 'private' chat
    const stored = server.storage.botMessages.find((m) => m.messageId === messageId);
    return r.json({ ok: true, result: asMessage(stored) });
  }
  if (method === 'editMessageText' || method === 'editMessageReplyMarkup') {
    // upstream answers `result: null` and keeps the old keyboard when the edit sends none
    if (params.inline_message_id) return r.json({ ok: true, result: true });
    const stored = server.storage.botMessages.find((m) => m.messageId === Number(params.message_id)
      && String(m.message.chat_id) === String(params.chat_id));
    if (!stored) return badRequest(r, 'message to edit not found');
    stored.message = { ...stored.message, reply_markup: undefined, ...params };
    return r.json({ ok: true, result: asMessage(stored) });
  }
  if (method === 'deleteMessage') { // upstream: result null, "not found" is HTTP 200 ok:false
    const done = server.deleteMessage(Number(params.chat_id), Number(params.message_id));
    return done ? r.json({ ok: true, result: true }) : badRequest(r, 'message to delete not found');
  }
  if (method in stubs) {
    const result = stubs[method];
    return r.json({ ok: true, result: typeof result === 'function' ? result(params) : result });
  }
  if (['setWebhook', 'deleteWebhook'].includes(method)) return next(); // upstream handles these
  return r.status(404).json({ ok: false, error_code: 404,
    description: `Not Found: method ${method} is not emulated (add it to tests/e2e/emulator.js)` });
});
app.use(server.webServer); // upstream routes: user side, setWebhook, deleteWebhook

function badRequest(r, what) {
  return r.status(400).json({ ok: false, error_code: 400, description: `Bad Request: ${what}` });
}

const listener = http.createServer(app).listen(Number(process.env.PORT || 0), '127.0.0.1', () => {
  console.log(`emulator listening on http://127.0.0.1:${listener.address().port}`);
});
['SIGTERM', 'SIGINT'].forEach((sig) => process.on(sig, () => process.exit(0)));
