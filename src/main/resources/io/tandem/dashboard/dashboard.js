/* Tandem dashboard: wiring. Loads the snapshot, the history and the why chain, then follows the stream. */
'use strict';
(function (T) {
  const api = T.api;
  const STATUS_REFRESH_MS = 2000;
  let localNode = '';
  let statusAt = 0;
  let whyTimer = null;
  let pending = null; // the action the dialog asks for
  const timeline = new T.Timeline('');

  function showStatus(status) {
    if (!status || !Array.isArray(status.nodes)) {
      return;
    }
    localNode = status.node;
    timeline.setLocal(localNode);
    statusAt = Date.now();
    T.renderStatus(status, statusAt, group => ask('cleanup', { group: group },
        'Cleanup of ' + group + ' on ' + localNode + ': forget its failures here, so that it may run here again.'));
    for (const id of ['btn-standby', 'btn-takeover']) {
      document.getElementById(id).textContent = (id === 'btn-standby' ? 'Standby ' : 'Takeover ') + localNode + '…';
    }
    T.tickAges();
  }

  async function loadStatus() {
    const r = await api.get('api/v1/status');
    if (r.status === 401) {
      connection('unauthorized');
    } else if (r.status === 200) {
      showStatus(r.body);
    }
    return r.status;
  }

  async function loadEvents() {
    const r = await api.get('api/v1/events?since=1d');
    if (r.status === 200 && r.body && Array.isArray(r.body.events)) {
      r.body.events.forEach(e => timeline.add(e, false));
    }
  }

  async function loadWhy() {
    const r = await api.get('api/v1/why');
    if (r.status === 200) {
      T.renderWhy(r.body);
    } else if (r.status === 404) {
      T.renderWhy(null);
    }
  }

  function whySoon() {
    clearTimeout(whyTimer);
    whyTimer = setTimeout(loadWhy, 300);
  }

  function connection(state, retryInMs) {
    const box = document.getElementById('connection');
    box.className = 'conn conn-' + state;
    box.dataset.state = state;
    document.body.classList.toggle('stale', state === 'disconnected');
    if (state === 'live') {
      box.textContent = 'live';
      loadStatus();
      loadEvents();
      loadWhy();
    } else if (state === 'connecting') {
      box.textContent = 'connecting…';
    } else if (state === 'unauthorized') {
      box.className = 'conn conn-disconnected';
      box.textContent = api.token() ? 'disconnected · token refused' : 'token needed';
      api.forgetToken();
      forgetButton();
      signIn();
    } else {
      box.textContent = 'disconnected · retrying in ' + Math.round(retryInMs / 1000) + ' s';
    }
  }

  const stream = new api.Stream('api/v1/events/stream', (type, data) => {
    if (type === 'cluster') {
      timeline.add(data, true);
      if (data.kind !== 'link-up' && data.kind !== 'link-dead') {
        whySoon();
      }
    } else if (type === 'status') {
      showStatus(data);
    }
  }, connection);

  /** The dialog that confirms an action and takes the token; also asked at start when reads need the token. */
  function ask(action, params, text) {
    pending = { action: action, params: params };
    document.getElementById('confirm-title').textContent = action === 'sign-in' ? 'API token' : 'Confirm ' + action;
    document.getElementById('confirm-text').textContent = text;
    document.getElementById('confirm-send').textContent = action === 'sign-in' ? 'Open' : 'Send ' + action;
    const input = document.getElementById('token');
    input.value = api.token();
    document.getElementById('confirm').showModal();
    input.focus();
  }

  function signIn() {
    if (!document.getElementById('confirm').open) {
      ask('sign-in', {}, 'This daemon answers only with its API token (not on loopback): enter it to see the cluster.');
    }
  }

  function result(text, ok) {
    const p = document.getElementById('action-result');
    p.hidden = false;
    p.className = 'result ' + (ok ? 'ok' : 'bad');
    p.textContent = text;
  }

  async function send(action, params) {
    result(action + ': sending…', true);
    const r = await api.post('api/v1/' + action, params);
    const words = r.body && (r.body.message || r.body.error) ? (r.body.message || r.body.error) : r.text;
    const shown = action + (params.group ? ' ' + params.group : params.what ? ' ' + params.what : '') + ' → '
        + (r.status === 0 ? '' : 'HTTP ' + r.status + ': ') + (words || '(no message)');
    result(shown, r.status === 200);
    if (r.status === 401) {
      api.forgetToken();
      forgetButton();
    }
  }

  function forgetButton() {
    document.getElementById('btn-forget').hidden = !api.token();
  }

  document.getElementById('confirm-form').addEventListener('submit', ev => {
    ev.preventDefault();
    const token = document.getElementById('token').value.trim();
    if (!token) {
      return;
    }
    api.setToken(token);
    forgetButton();
    document.getElementById('confirm').close();
    const p = pending;
    pending = null;
    if (p && p.action === 'sign-in') {
      stream.restart();
    } else if (p) {
      send(p.action, p.params);
    }
  });
  document.getElementById('confirm-cancel').addEventListener('click', () => {
    pending = null;
    document.getElementById('confirm').close();
  });
  document.getElementById('btn-standby').addEventListener('click', () => ask('standby', { what: 'all' },
      'Standby on ' + (localNode || 'this node') + ': it gives every group it runs to its peer (hb_standby all).'));
  document.getElementById('btn-takeover').addEventListener('click', () => ask('takeover', { what: 'all' },
      'Takeover on ' + (localNode || 'this node') + ': it takes every group from its peer (hb_takeover all).'));
  document.getElementById('btn-forget').addEventListener('click', () => {
    api.forgetToken();
    forgetButton();
    result('token forgotten', true);
  });

  setInterval(() => {
    T.tickAges();
    if (Date.now() - statusAt > STATUS_REFRESH_MS && document.getElementById('connection').dataset.state === 'live') {
      statusAt = Date.now(); // one request at a time
      loadStatus();
    }
  }, 250);
  forgetButton();
  // Reads need the token unless the daemon listens on loopback: ask for it first, then follow the stream.
  loadStatus().then(status => {
    if (status !== 401) {
      stream.restart();
    }
  });
})(window.Tandem);
