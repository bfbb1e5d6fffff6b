// server-status?view=live: reads ?json about once a second and draws the scoreboard. The
// history (busy/idle over the last minutes) and the spawns and retirements are kept here, in
// the page: the server keeps no history. No library, nothing inline (the page's CSP forbids it).
'use strict';
(function () {
  var KEY = [
    ['_', 'Waiting for Connection', 'ready'], ['S', 'Starting up', 'starting'], ['R', 'Reading Request', 'read'],
    ['W', 'Sending Reply', 'write'], ['K', 'Keepalive (read)', 'keepalive'], ['D', 'DNS Lookup', 'dns'],
    ['C', 'Closing connection', 'closing'], ['L', 'Logging', 'logging'], ['G', 'Gracefully finishing', 'graceful'],
    ['I', 'Idle cleanup of worker', 'idlekill'], ['.', 'Open slot with no current process', 'open']];
  var CLASS = {};
  KEY.forEach(function (k) { CLASS[k[0]] = 's-' + k[2]; });
  var PERIOD_MS = 1000;
  var HISTORY = 300;
  var MAX_EVENTS = 200;
  var jsonUrl = location.pathname + '?json';
  var history = [];
  var known = null;
  var spawns = 0;
  var retirements = 0;
  var previous = null;
  var polls = 0;
  var backlogPeak = 1;

  function $(id) { return document.getElementById(id); }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined) { e.textContent = String(text); }
    return e;
  }

  function clock(ms) { return new Date(ms).toISOString().substring(11, 19); }

  function duration(s) {
    var d = Math.floor(s / 86400), h = Math.floor(s / 3600) % 24, m = Math.floor(s / 60) % 60;
    return (d ? d + 'd ' : '') + (d || h ? h + 'h ' : '') + (d || h || m ? m + 'm ' : '') + (s % 60) + 's';
  }

  function drawKey() {
    var ul = $('key');
    KEY.forEach(function (k) {
      var li = el('li');
      li.appendChild(el('span', 'cell ' + CLASS[k[0]], k[0]));
      li.appendChild(document.createTextNode(' ' + k[1]));
      ul.appendChild(li);
    });
  }

  function logEvent(kind, text, now) {
    var ol = $('events');
    var li = el('li', kind, clock(now) + ' ' + text);
    ol.insertBefore(li, ol.firstChild);
    while (ol.children.length > MAX_EVENTS) { ol.removeChild(ol.lastChild); }
  }

  // Spawns and retirements: a pid that appears in a slot, a pid that leaves one.
  function track(s) {
    var now = s.currentTime, seen = {};
    s.processSlots.forEach(function (p) { seen[p.pid] = p; });
    if (known !== null) {
      Object.keys(seen).forEach(function (pid) {
        if (!known[pid]) {
          var p = seen[pid];
          spawns++;
          logEvent('spawn', 'spawned pid ' + pid + ' in slot ' + p.slot + ' (generation ' + p.generation + ')', now);
        }
      });
      Object.keys(known).forEach(function (pid) {
        if (!seen[pid]) {
          var p = known[pid];
          retirements++;
          logEvent('retire', 'retired pid ' + pid + ' from slot ' + p.slot + ' (generation ' + p.generation + ', ran ' +
            duration(Math.max(0, Math.round((now - p.startTime) / 1000))) + ')', now);
        }
      });
    }

    known = seen;
    $('spawns').textContent = spawns;
    $('retirements').textContent = retirements;
  }

  function drawSummary(s) {
    $('host').textContent = s.serverName + ' (' + s.serverVersion + ')';
    $('mpm').textContent = s.serverMpm;
    $('generation').textContent = s.generations.length > 1
      ? s.parentServerMpmGeneration + ' (draining ' + s.generations.filter(function (g) { return g !== s.parentServerMpmGeneration; }).join(', ') + ')'
      : String(s.parentServerMpmGeneration);
    $('uptime').textContent = duration(s.serverUptimeSeconds);
    $('processes').textContent = s.processes + (s.stopping ? ' (' + s.stopping + ' stopping)' : '');
    $('busy').textContent = s.busyWorkers;
    $('idle').textContent = s.idleWorkers;
    $('graceful').textContent = s.gracefulWorkers;
    if (previous && s.totalAccesses !== undefined && s.currentTime > previous.currentTime) {
      var rps = (s.totalAccesses - previous.totalAccesses) * 1000 / (s.currentTime - previous.currentTime);
      $('rps').textContent = Math.max(0, rps).toFixed(rps < 10 ? 1 : 0);
    }
  }

  function drawQueue(s) {
    var box = $('queue');
    box.replaceChildren();
    var q = s.queue;
    box.appendChild(el('div', null, 'accepted, waiting for a worker thread: ' + q.workerQueue));
    if (q.listenBacklog === null) {
      box.appendChild(el('div', null, 'listen backlog: not known here'));
      return;
    }

    box.appendChild(el('div', null, 'in the listen backlog, not yet accepted by a child: ' + q.listenBacklog));
    // The bar is scaled to the largest backlog seen since the page opened.
    backlogPeak = Math.max(backlogPeak, q.listenBacklog, 1);
    var bar = el('div', 'bar');
    var fill = el('span');
    fill.style.width = (100 * q.listenBacklog / backlogPeak) + '%';
    bar.appendChild(fill);
    box.appendChild(bar);
  }

  function workersBySlot(s) {
    var by = {};
    s.workerSlots.forEach(function (w) { (by[w.slot] = by[w.slot] || []).push(w); });
    return by;
  }

  function cellTitle(w) {
    var t = 'slot ' + w.slot + '-' + w.thread + ' ' + w.state;
    if (w.request) { t += '\n' + w.request; }
    if (w.client) { t += '\nclient ' + w.client; }
    if (w.vhost) { t += '\nvhost ' + w.vhost; }
    if (w.accessCount !== undefined) { t += '\naccesses ' + w.connAccesses + '/' + w.childAccesses + '/' + w.accessCount; }
    return t;
  }

  function processBox(s, slot, p, workers, fresh) {
    var box = el('div', 'proc');
    box.dataset.slot = slot;
    var lim = s.limits;
    if (p) {
      box.dataset.pid = p.pid;
      box.dataset.state = p.state;
      box.classList.add('live');
      if (p.oldGeneration) { box.classList.add('old'); }
      if (p.stopping) { box.classList.add('stopping'); }
      if (fresh) { box.classList.add('fresh'); }
      box.appendChild(el('div', 'head', slot + ': pid ' + p.pid + ' gen ' + p.generation + (p.state === 'serving' ? '' : ' ' + p.state)));
      box.title = 'slot ' + slot + ', pid ' + p.pid + ', generation ' + p.generation + ', ' + p.state +
        (p.listenersClosed ? ', listeners closed' : '') + ', busy ' + p.busy + ', idle ' + p.idle + ', graceful ' + p.graceful;
      if (s.serverMpm === 'event') {
        var conns = el('div', 'conns', p.connections + ' conns, ' + p.keepAlive + ' parked, ' + p.lingering + ' lingering' +
          (p.queued ? ', ' + p.queued + ' queued' : ''));
        for (var k = 0; k < Math.min(p.keepAlive, 40); k++) { conns.appendChild(el('span', 'parked')); }
        box.appendChild(conns);
      }
    } else if (slot >= lim.maxDaemons) {
      box.classList.add('beyond');
      box.appendChild(el('div', 'head', String(slot)));
    } else {
      box.classList.add('empty');
      box.appendChild(el('div', 'head', lim.threadsPerChild === 1 ? String(slot) : slot + ': free'));
    }

    // ThreadsPerChild cells per process (ThreadLimit binds only for a live child that has more).
    var cells = el('div', 'cells');
    var count = Math.max(lim.threadsPerChild, workers ? workers.length : 0);
    for (var t = 0; t < count; t++) {
      var w = workers && workers[t];
      var letter = w ? w.state : '.';
      var c = el('span', 'cell ' + (CLASS[letter] || ''), letter);
      if (w) { c.title = cellTitle(w); }
      cells.appendChild(c);
    }

    box.appendChild(cells);
    return box;
  }

  function drawSlots(s, freshPids) {
    var lim = s.limits;
    var bySlot = workersBySlot(s);
    var procs = {};
    var highest = lim.maxDaemons - 1;
    s.processSlots.forEach(function (p) { procs[p.slot] = p; highest = Math.max(highest, p.slot); });
    Object.keys(bySlot).forEach(function (k) { highest = Math.max(highest, Number(k)); });
    $('limits').textContent = 'MaxRequestWorkers ' + lim.maxRequestWorkers + ' = ' + lim.maxDaemons + ' processes \u00d7 ThreadsPerChild ' +
      lim.threadsPerChild + '; ServerLimit ' + lim.serverLimit + ', ThreadLimit ' + lim.threadLimit +
      (s.serverMpm === 'prefork' ? ' (prefork: one worker per process)' : '');
    var box = $('slots');
    box.classList.toggle('single', lim.threadsPerChild === 1);
    var frag = document.createDocumentFragment();
    // Every slot MaxRequestWorkers allows, then the rest up to ServerLimit (shown past the line
    // only when a child holds one, as during a graceful restart's overlap; else summarised).
    for (var i = 0; i <= highest; i++) {
      if (i === lim.maxDaemons) {
        frag.appendChild(el('div', 'limit-mark', 'MaxRequestWorkers ' + lim.maxRequestWorkers + ' binds here: ' + lim.maxDaemons +
          ' processes of ' + lim.threadsPerChild + ' threads'));
      }

      frag.appendChild(processBox(s, i, procs[i], bySlot[i], procs[i] && freshPids[procs[i].pid]));
    }

    if (highest < lim.maxDaemons) {
      frag.appendChild(el('div', 'limit-mark', 'MaxRequestWorkers ' + lim.maxRequestWorkers + ' binds here: ' + lim.maxDaemons +
        ' processes of ' + lim.threadsPerChild + ' threads'));
    }

    var rest = lim.serverLimit - Math.max(highest + 1, lim.maxDaemons);
    if (rest > 0) {
      var more = el('div', 'proc beyond', rest + ' more slot' + (rest === 1 ? '' : 's') + ' up to ServerLimit ' + lim.serverLimit);
      frag.appendChild(more);
    }

    frag.appendChild(el('div', 'limit-mark', 'ServerLimit ' + lim.serverLimit));
    box.replaceChildren(frag);
  }

  function drawHistory(s) {
    history.push({ busy: s.busyWorkers, idle: s.idleWorkers, graceful: s.gracefulWorkers, procs: s.processes });
    while (history.length > HISTORY) { history.shift(); }
    var canvas = $('history');
    var ctx = canvas.getContext('2d');
    var w = canvas.width, h = canvas.height;
    ctx.clearRect(0, 0, w, h);
    var peak = 4;
    history.forEach(function (x) { peak = Math.max(peak, x.busy + x.idle + x.graceful, x.procs); });
    var mrw = s.limits.maxRequestWorkers;
    var top = Math.max(peak * 1.25, Math.min(mrw * 1.05, peak * 3));
    var step = w / HISTORY;
    var style = getComputedStyle(document.documentElement);
    var colours = [style.getPropertyValue('--write'), style.getPropertyValue('--graceful'), style.getPropertyValue('--ready')];
    history.forEach(function (x, i) {
      var px = w - (history.length - i) * step, y = h;
      [x.busy, x.graceful, x.idle].forEach(function (v, k) {
        var bh = v / top * h;
        ctx.fillStyle = colours[k];
        ctx.fillRect(px, y - bh, Math.ceil(step), bh);
        y -= bh;
      });
    });
    ctx.strokeStyle = '#1155cc';
    ctx.beginPath();
    history.forEach(function (x, i) {
      var px = w - (history.length - i) * step, py = h - x.procs / top * h;
      if (i === 0) { ctx.moveTo(px, py); } else { ctx.lineTo(px, py); }
    });
    ctx.stroke();
    ctx.fillStyle = '#000';
    ctx.font = '12px sans-serif';
    if (mrw <= top) {
      var ly = h - mrw / top * h;
      ctx.fillRect(0, ly, w, 2);
      ctx.fillText('MaxRequestWorkers ' + mrw, 4, ly + 14);
    } else {
      ctx.fillText('MaxRequestWorkers ' + mrw + ' (above this scale)', 4, 14);
    }

    ctx.fillText(String(Math.round(top)), w - 30, 14);
  }

  function draw(s) {
    polls++;
    var before = known;
    track(s);
    var fresh = {};
    if (before !== null) {
      s.processSlots.forEach(function (p) { if (!before[p.pid]) { fresh[p.pid] = true; } });
    }

    drawSummary(s);
    drawQueue(s);
    drawSlots(s, fresh);
    drawHistory(s);
    previous = s;
    var conn = $('conn');
    conn.className = 'conn';
    conn.textContent = 'updated ' + clock(s.currentTime) + ' UTC';
    document.body.dataset.polls = polls;
    document.body.dataset.processes = s.processes;
  }

  function fail(e) {
    var conn = $('conn');
    conn.className = 'conn stale';
    conn.textContent = 'no answer from ' + jsonUrl + ': ' + e.message;
  }

  function poll() {
    fetch(jsonUrl, { cache: 'no-store', credentials: 'same-origin' })
      .then(function (r) {
        if (!r.ok) { throw new Error('HTTP ' + r.status); }
        return r.json();
      })
      .then(draw, fail)
      .then(function () { setTimeout(poll, PERIOD_MS); });
  }

  drawKey();
  poll();
}());
