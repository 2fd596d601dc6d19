/* Tandem dashboard: renders the status snapshot, the why chain and the timeline (text only, see dom.js). */
'use strict';
(function (T) {
  const el = T.el;
  const MAX_EVENTS = 500;

  /** The header, the node cards (with each link's heartbeat age) and the group cards. */
  T.renderStatus = function (status, receivedAt, onCleanup) {
    document.getElementById('local-node').textContent = 'on ' + status.node;
    document.title = 'Tandem: ' + status.node;
    document.getElementById('local-facts').textContent = status.node + ' is ' + status.status + ', ' + holding(status.resources)
        + ' · generation ' + status.generation + ' · up ' + T.age(status.uptime_ms) + ' · ' + (status.version || '');
    const nodes = (status.nodes || []).filter(n => n.type !== 'ping');
    const pings = (status.nodes || []).filter(n => n.type === 'ping');
    const cards = nodes.map(n => nodeCard(n, status.node, receivedAt));
    if (pings.length > 0) {
      cards.push(pingCard(pings, receivedAt));
    }
    T.fill(document.getElementById('nodes'), cards);
    const groups = (status.groups || []).map(g => groupCard(g, status.node, onCleanup));
    if (groups.length === 0) {
      groups.push(el('p', 'muted', 'no resource groups configured'));
    }
    T.fill(document.getElementById('groups'), groups);
  };

  /** What a node holds, in words (heartbeat's rscstatus: local, foreign, all, none, transition). */
  function holding(what) {
    switch (what) {
      case 'none': return 'holds no resources';
      case 'all': return 'holds all resources';
      case 'local': return 'holds its own resources';
      case 'foreign': return 'holds its peer\'s resources';
      case 'transition': return 'resources in transition';
      default: return 'resources: ' + what;
    }
  }

  function nodeCard(n, local, receivedAt) {
    const card = el('article', 'card node');
    card.dataset.node = n.name;
    card.dataset.status = n.status;
    const h = el('h3');
    h.append(el('span', 'name', n.name), T.badge(n.status));
    const isLocal = String(n.name).toLowerCase() === String(local).toLowerCase();
    if (isLocal) {
      h.append(el('span', 'muted small', 'this node'));
    }
    card.append(h);
    const links = el('ul');
    for (const l of n.links || []) {
      const li = el('li');
      li.dataset.link = l.name;
      const left = el('span');
      left.append(el('span', 'mono', l.name), ' ', T.badge(isLocal ? 'local' : l.status));
      li.append(left, isLocal ? el('span', 'age', 'sends') : ageSpan(l, receivedAt));
      links.append(li);
    }
    card.append(links);
    return card;
  }

  function pingCard(pings, receivedAt) {
    const card = el('article', 'card node');
    card.append(el('h3', null, 'Ping nodes'));
    const list = el('ul');
    for (const p of pings) {
      const li = el('li');
      const left = el('span');
      left.append(el('span', 'mono', p.name), ' ', T.badge(p.status));
      li.append(left, ageSpan((p.links || [])[0] || {}, receivedAt));
      list.append(li);
    }
    card.append(list);
    return card;
  }

  /** The time since the last heartbeat on a link, kept running by T.tickAges between snapshots. */
  function ageSpan(link, receivedAt) {
    const span = el('span', 'age', '–');
    if (typeof link.heartbeat_age_ms === 'number') {
      span.dataset.ageMs = String(link.heartbeat_age_ms);
      span.dataset.at = String(receivedAt);
      span.title = 'time since the last heartbeat on this link';
    }
    if (link.status === 'dead') {
      span.classList.add('late');
    }
    return span;
  }

  T.tickAges = function () {
    const now = Date.now();
    for (const span of document.querySelectorAll('.age[data-age-ms]')) {
      const age = Number(span.dataset.ageMs) + (now - Number(span.dataset.at));
      span.textContent = T.age(age) + ' ago';
    }
  };

  function groupCard(g, local, onCleanup) {
    const card = el('article', 'card group');
    card.dataset.group = g.key;
    card.dataset.owner = g.owner || '';
    card.dataset.state = g.state;
    const h = el('h3');
    h.append(el('span', 'name mono', g.key), T.badge(g.state));
    card.append(h);
    const dl = el('dl');
    dl.append(el('dt', null, 'owner'), el('dd', 'owner', g.owner || 'nobody'),
        el('dt', null, 'home'), el('dd', null, g.preferred || '–'));
    card.append(dl);
    const health = new Map((g.health || []).map(r => [r.resource, r]));
    const list = el('ul');
    for (const r of g.resources || []) {
      const li = el('li');
      const h2 = health.get(r);
      li.append(el('span', 'mono', r), h2 ? healthBadge(h2) : el('span', 'muted small', 'not watched'));
      list.append(li);
    }
    card.append(list);
    if ((g.health || []).length > 0) {
      card.append(el('p', 'muted small', 'health as ' + local + ' sees it'));
    }
    const cleanup = el('button', 'small', 'Cleanup…');
    cleanup.type = 'button';
    cleanup.dataset.action = 'cleanup';
    cleanup.addEventListener('click', () => onCleanup(g.key));
    card.append(cleanup);
    return card;
  }

  function healthBadge(r) {
    const b = T.badge(r.health);
    const parts = ['fail count ' + r.fail_count + '/' + r.threshold];
    if (r.last_failure) {
      parts.push('last failure: ' + r.last_failure);
    }
    if (r.banned_for_ms > 0) {
      parts.push('kept off this node for ' + T.age(r.banned_for_ms));
    }
    b.title = parts.join('; ');
    return b;
  }

  /** The last move of a group as its chain of causes (GET /api/v1/why). */
  T.renderWhy = function (why) {
    const box = document.getElementById('why');
    if (!why || !Array.isArray(why.chain) || why.chain.length === 0) {
      T.fill(box, [el('p', 'muted', 'no move recorded yet')]);
      return;
    }
    const title = el('p');
    title.append('Group ', el('span', 'mono', why.group));
    const list = el('ol');
    for (const step of why.chain) {
      const li = el('li', 'kind-' + String(step.kind).replace(/[^a-z-]/g, ''), step.text);
      li.dataset.kind = step.kind;
      li.append(' ', el('span', 'when', T.clock(step.epochMs)));
      list.append(li);
    }
    T.fill(box, [title, list]);
  };

  function eventKey(e) {
    return e.node + '/' + e.life + '/' + e.seq;
  }

  /** Orders entries newest first: by time, then life and number within the same millisecond. */
  function newer(a, b) {
    return a.epochMs !== b.epochMs ? a.epochMs > b.epochMs : a.life !== b.life ? a.life > b.life : a.seq > b.seq;
  }

  function eventTone(e) {
    if (e.kind === 'op') {
      const result = (e.fields && e.fields.result) || '';
      return result === 'failed' || result === 'address_in_use' ? 'failed' : 'ok'; // a probe's not_running is an answer, no fault
    }
    if (e.kind === 'group') {
      return (e.fields && e.fields.to) || 'group';
    }
    return e.kind;
  }

  function eventItem(e, local, fresh) {
    const li = el('li', fresh ? 'fresh' : null);
    li.dataset.kind = e.kind;
    li.dataset.subject = e.subject;
    li.append(el('span', 'when', T.clock(e.epochMs)));
    const kind = T.badge(e.kind);
    kind.classList.remove('st-info', 'st-ok', 'st-bad', 'st-warn');
    kind.classList.add('kind', T.tone(eventTone(e)));
    li.append(kind);
    const what = el('span', 'what');
    what.append(el('span', 'subject', e.subject), ' ', el('span', 'cause', e.cause));
    if (e.node && String(e.node).toLowerCase() !== String(local).toLowerCase()) {
      what.append(' ', el('span', 'origin', 'seen by ' + e.node));
    }
    li.append(what);
    const names = Object.keys(e.fields || {});
    if (names.length > 0) {
      const details = el('details');
      details.append(el('summary', null, 'details'));
      details.append(el('pre', 'fields', names.map(k => k + '=' + e.fields[k]).join('\n')));
      li.append(details);
    }
    return li;
  }

  /** The timeline: adds entries it does not show yet, in their place (newest first), at most MAX_EVENTS. */
  T.Timeline = function (local) {
    const list = document.getElementById('timeline');
    const shown = new Map();
    const order = []; // newest first, parallel to the list's children
    this.setLocal = function (node) {
      local = node;
    };
    this.add = function (e, fresh) {
      if (!e || typeof e.epochMs !== 'number' || shown.has(eventKey(e))) {
        return;
      }
      let i = 0;
      while (i < order.length && !newer(e, order[i])) {
        i++;
      }
      if (i >= MAX_EVENTS) {
        return;
      }
      const li = eventItem(e, local, fresh);
      list.insertBefore(li, list.children[i] || null);
      order.splice(i, 0, e);
      shown.set(eventKey(e), li);
      while (order.length > MAX_EVENTS) {
        const old = order.pop();
        shown.get(eventKey(old)).remove();
        shown.delete(eventKey(old));
      }
    };
    this.newest = function () {
      return order.length > 0 ? order[0] : null;
    };
  };
})(window.Tandem);
