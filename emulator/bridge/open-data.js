/*
 * Emulated WeCom open-data SDK (served as /wwopen/js/jwxwork-1.0.0.js, demo mode and the standalone emulator).
 *
 * Third-party apps never receive member names; the page puts <ww-open-data type="userName" openid="…"> elements in
 * and, after ww.initOpenData() (which hands this script the SDK's invoke and ensureAgentConfigReady through
 * WWOpenData.initJSSDK), binds them with WWOpenData.bind(el) / bindAll(list). Like the real client, the name is
 * drawn where page code cannot read it: inside a closed shadow root of the element (the element's own children,
 * the fallback, are no longer shown). Events: 'update' after an element was drawn, 'error' when it could not be.
 */
(function () {
  'use strict';

  var win = window;
  if (win.WWOpenData) return;

  var script = document.currentScript;
  var origin = location.origin;
  try {
    if (script && script.src) origin = new URL(script.src).origin;
  } catch {
    /* keeps the page origin */
  }

  var sdk = null;
  var waiting = [];
  var roots = new WeakMap();
  var listeners = {};

  function emit(type, detail) {
    (listeners[type] || []).slice().forEach(function (fn) {
      try {
        fn(detail);
      } catch {
        /* a listener's error is its own */
      }
    });
  }

  function rootOf(el) {
    var root = roots.get(el);
    if (!root) {
      root = el.attachShadow({ mode: 'closed' });
      roots.set(el, root);
    }
    return root;
  }

  function draw(root, text) {
    var span = document.createElement('span');
    span.textContent = text;
    root.replaceChildren(span);
  }

  function render(el) {
    var type = el.getAttribute('type') || 'userName';
    var openid = el.getAttribute('openid') || '';
    var root = rootOf(el);
    return Promise.resolve(sdk.ensureAgentConfigReady())
      .then(function () {
        var qs = '?type=' + encodeURIComponent(type) + '&openid=' + encodeURIComponent(openid);
        return fetch(origin + '/wecom-emulator/open-data' + qs, { cache: 'no-store' });
      })
      .then(function (res) {
        if (!res.ok) throw new Error('open-data ' + res.status);
        return res.json();
      })
      .then(function (data) {
        draw(root, data && data.name ? data.name : openid);
        emit('update', { element: el });
      })
      .catch(function (error) {
        draw(root, openid);
        emit('error', { element: el, error: String((error && error.message) || error) });
      });
  }

  function bind(el) {
    if (!el || el.nodeType !== 1) return;
    if (!sdk) waiting.push(el);
    else render(el);
  }

  win.WWOpenData = {
    /** Called by @wecom/jssdk's ww.initOpenData() inside the client. */
    initJSSDK: function (jssdk) {
      sdk = jssdk;
      var queued = waiting;
      waiting = [];
      queued.forEach(render);
    },
    /** Outside the client the browser scheme needs a WeCom admin login, which the emulator does not provide. */
    agentConfig: function (params) {
      setTimeout(function () {
        if (params && typeof params.fail === 'function') {
          params.fail({ errMsg: 'agentConfig:fail not inside the WeCom client' });
        }
      }, 0);
    },
    bind: bind,
    bindAll: function (list) {
      Array.prototype.forEach.call(list || [], bind);
    },
    on: function (type, fn) {
      (listeners[type] = listeners[type] || []).push(fn);
    },
    off: function (type, fn) {
      listeners[type] = (listeners[type] || []).filter(function (f) {
        return f !== fn;
      });
    },
  };
})();
