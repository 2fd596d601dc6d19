/*
 * Tandem dashboard: the HTTP API (docs/openapi.yaml). The token lives in sessionStorage only (this tab,
 * gone when it closes) and goes out in the Authorization header, never in a URL.
 */
'use strict';
(function (T) {
  const TOKEN_KEY = 'tandem.api-token';
  /** A stream frame larger than this is dropped (a broken or hostile server cannot grow the buffer without end). */
  const MAX_FRAME = 1 << 20;
  /**
   * A stream that brings nothing for this long is taken for lost and opened again: the daemon sends the
   * status at least every 500 ms while heartbeat ages change, and a keep-alive comment after 15 s.
   */
  const SILENCE_MS = 20000;

  const api = {};
  T.api = api;

  api.token = function () {
    try {
      return sessionStorage.getItem(TOKEN_KEY) || '';
    } catch (e) {
      return '';
    }
  };
  api.setToken = function (token) {
    sessionStorage.setItem(TOKEN_KEY, token);
  };
  api.forgetToken = function () {
    sessionStorage.removeItem(TOKEN_KEY);
  };

  function headers(extra) {
    const h = Object.assign({ Accept: 'application/json' }, extra || {});
    const token = api.token();
    if (token) {
      h.Authorization = 'Bearer ' + token;
    }
    return h;
  }

  /** {status, body (parsed JSON or null), text}; status 0 when the daemon could not be reached. */
  async function answer(promise) {
    let response;
    try {
      response = await promise;
    } catch (e) {
      return { status: 0, body: null, text: 'no answer from the daemon (' + e.message + ')' };
    }
    const text = await response.text().catch(() => '');
    let body = null;
    try {
      body = JSON.parse(text);
    } catch (e) {
      body = null;
    }
    return { status: response.status, body: body, text: text };
  }

  api.get = function (path) {
    return answer(fetch(path, { headers: headers(), cache: 'no-store', credentials: 'omit' }));
  };

  /** A form-encoded POST (an action: standby, takeover, cleanup). */
  api.post = function (path, params) {
    return answer(fetch(path, {
      method: 'POST', cache: 'no-store', credentials: 'omit',
      headers: headers({ 'Content-Type': 'application/x-www-form-urlencoded' }),
      body: new URLSearchParams(params).toString()
    }));
  };

  /**
   * The live stream (GET api/v1/events/stream, Server-Sent Events) with reconnects: EventSource when reads
   * need no token (a listener on loopback), else the same frames read with fetch, which can send the
   * Authorization header that EventSource cannot. onFrame(type, data) gets 'cluster' and 'status' frames
   * (data parsed); onState(state, retryInMs) 'connecting', 'live', 'disconnected' or 'unauthorized' (the token
   * was refused: no retry until restart()).
   */
  api.Stream = function (url, onFrame, onState) {
    let source = null;
    let abort = null;
    let timer = null;
    let delay = 1000;
    let generation = 0;
    let heardAt = 0;
    let watchdog = null;

    function heard() {
      heardAt = Date.now();
    }

    function deliver(type, data) {
      heard();
      let parsed;
      try {
        parsed = JSON.parse(data);
      } catch (e) {
        return;
      }
      onFrame(type, parsed);
    }

    function opened(gen) {
      if (gen !== generation) {
        return;
      }
      delay = 1000;
      heard();
      clearInterval(watchdog);
      watchdog = setInterval(() => {
        if (Date.now() - heardAt > SILENCE_MS) {
          lost(gen);
        }
      }, 1000);
      onState('live');
    }

    function lost(gen) {
      if (gen !== generation) {
        return;
      }
      stopTransport();
      generation++;
      onState('disconnected', delay);
      timer = setTimeout(start, delay);
      delay = Math.min(delay * 2, 15000);
    }

    function stopTransport() {
      clearInterval(watchdog);
      if (source) {
        source.close();
        source = null;
      }
      if (abort) {
        abort.abort();
        abort = null;
      }
    }

    function start() {
      clearTimeout(timer);
      stopTransport();
      const gen = ++generation;
      onState('connecting');
      if (!api.token()) {
        source = new EventSource(url);
        source.onopen = () => opened(gen);
        source.onerror = () => lost(gen);
        for (const type of ['cluster', 'status']) {
          source.addEventListener(type, e => deliver(type, e.data));
        }
      } else {
        readWithFetch(gen);
      }
    }

    async function readWithFetch(gen) {
      abort = new AbortController();
      try {
        const response = await fetch(url, { headers: headers({ Accept: 'text/event-stream' }), cache: 'no-store',
          credentials: 'omit', signal: abort.signal });
        if (response.status === 401 && gen === generation) {
          generation++;
          abort = null;
          onState('unauthorized');
          return;
        }
        if (!response.ok || !response.body) {
          throw new Error('HTTP ' + response.status);
        }
        opened(gen);
        const reader = response.body.getReader();
        const decoder = new TextDecoder();
        let buffer = '';
        for (;;) {
          const chunk = await reader.read();
          if (chunk.done) {
            break;
          }
          heard(); // keep-alive comments too
          buffer = (buffer + decoder.decode(chunk.value, { stream: true })).replace(/\r\n?/g, '\n');
          let end;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            frame(buffer.slice(0, end));
            buffer = buffer.slice(end + 2);
          }
          if (buffer.length > MAX_FRAME) {
            buffer = '';
          }
        }
      } catch (e) {
        // falls through to the reconnect
      }
      lost(gen);
    }

    function frame(text) {
      let type = 'message';
      const data = [];
      for (const line of text.split('\n')) {
        const colon = line.indexOf(':');
        const name = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (name === 'event') {
          type = value;
        } else if (name === 'data') {
          data.push(value);
        }
      }
      if (data.length > 0) {
        deliver(type, data.join('\n'));
      }
    }

    /** (Re)connects now, e.g. after the token changed. */
    this.restart = function () {
      delay = 1000;
      start();
    };
  };
})(window.Tandem);
