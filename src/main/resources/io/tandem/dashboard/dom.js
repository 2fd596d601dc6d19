/*
 * Tandem dashboard: DOM helpers. Every value from the API goes into the page as text
 * (textContent, attributes set one by one); nothing from the network is parsed as HTML.
 */
'use strict';
window.Tandem = window.Tandem || {};
(function (T) {
  /** A new element with a class and text (any value, shown as text). */
  T.el = function (tag, className, text) {
    const e = document.createElement(tag);
    if (className) {
      e.className = className;
    }
    if (text !== undefined && text !== null) {
      e.textContent = String(text);
    }
    return e;
  };

  /** Replaces the children of a node. */
  T.fill = function (parent, children) {
    parent.replaceChildren.apply(parent, children);
  };

  function pad(n, width) {
    return String(n).padStart(width, '0');
  }

  /** 12:00:15.207 in local time; with the date in front when it is not today. */
  T.clock = function (epochMs) {
    if (typeof epochMs !== 'number' || !isFinite(epochMs)) {
      return '';
    }
    const d = new Date(epochMs);
    const time = pad(d.getHours(), 2) + ':' + pad(d.getMinutes(), 2) + ':' + pad(d.getSeconds(), 2) + '.' + pad(d.getMilliseconds(), 3);
    const today = new Date();
    if (d.toDateString() === today.toDateString()) {
      return time;
    }
    return d.getFullYear() + '-' + pad(d.getMonth() + 1, 2) + '-' + pad(d.getDate(), 2) + ' ' + time;
  };

  /** 0.4 s, 12 s, 3 min, 2 h. */
  T.age = function (ms) {
    if (typeof ms !== 'number' || !isFinite(ms) || ms < 0) {
      return '–';
    }
    if (ms < 10000) {
      return (ms / 1000).toFixed(1) + ' s';
    }
    if (ms < 120000) {
      return Math.round(ms / 1000) + ' s';
    }
    if (ms < 7200000) {
      return Math.round(ms / 60000) + ' min';
    }
    return Math.round(ms / 3600000) + ' h';
  };

  /** A status word's colour class: ok, bad, warn or info. */
  T.tone = function (word) {
    const w = String(word || '').toLowerCase();
    if (/^(active|up|running|ok|alive)$/.test(w)) {
      return 'st-ok';
    }
    if (/(dead|fail|down|in use|conflict|refus|error)/.test(w)) {
      return 'st-bad';
    }
    if (/(start|stop|transition|pending|restart|standby|fenc)/.test(w)) {
      return 'st-warn';
    }
    return 'st-info';
  };

  T.badge = function (word) {
    return T.el('span', 'badge ' + T.tone(word), word);
  };
})(window.Tandem);
