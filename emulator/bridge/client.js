/*
 * Emulated WeCom client bridge (demo mode only).
 *
 * Loaded as a blocking <script> in <head>, before @wecom/jssdk evaluates, so the SDK sees a WeCom user agent and
 * an existing window.WeixinJSBridge, exactly as inside the real client. It installs itself only inside the
 * simulator's iframes (same-origin parent under /simulator) or when the user agent already says `wxwork/`;
 * anywhere else the page keeps behaving like a plain browser.
 *
 * Signatures are checked by the emulator server (POST /wecom-emulator/bridge/verify), which holds the tickets:
 * nothing secret ever reaches this script.
 */
(function () {
  'use strict';

  var BASE = '/wecom-emulator';
  var win = window;
  if (win.WeixinJSBridge) return;

  function insideSimulator() {
    try {
      return win.parent !== win && /^\/simulator(\/|$)/.test(win.parent.location.pathname);
    } catch {
      return false; // cross-origin parent
    }
  }

  var originalUA = navigator.userAgent;
  var hasWeComUA = /wxwork\//i.test(originalUA);
  var framed = insideSimulator();
  if (!hasWeComUA && !framed) return;

  if (framed) {
    // The simulator window already shows the demo banner; the real client's panes have none.
    try {
      var sheet = new CSSStyleSheet();
      sheet.replaceSync('.demo-banner{display:none}');
      document.adoptedStyleSheets = document.adoptedStyleSheets.concat(sheet);
    } catch {
      /* older browser: the banner simply stays */
    }
  }

  function prefersDark() {
    try {
      var host = win.parent !== win ? win.parent : win;
      var theme = host.document.documentElement.getAttribute('data-theme');
      if (theme) return theme === 'dark';
      return !!(host.matchMedia && host.matchMedia('(prefers-color-scheme: dark)').matches);
    } catch {
      return false;
    }
  }

  function define(obj, name, value) {
    try {
      Object.defineProperty(obj, name, {
        get: function () {
          return value;
        },
        configurable: true,
      });
    } catch {
      /* read-only in this browser: the SDK then sees the original value */
    }
  }

  // Set by the emulator when it serves this script: the client flavour chosen in the simulator (or null).
  var CONFIGURED_FLAVOUR = /*FLAVOUR*/ null;
  // Likewise the client version (null: 4.1.22).
  var CONFIGURED_VERSION = /*VERSION*/ null;

  function flavourOfUA(ua) {
    if (/iPhone|iPad|iPod/.test(ua)) return 'ios';
    if (/Android/.test(ua)) return 'android';
    if (/Macintosh|Mac OS X/.test(ua)) return 'mac';
    return 'windows';
  }

  // The simulator's phone frame is named wecom-mobile: by default it gets the Android client, everything else Windows.
  var mobileFrame = win.name === 'wecom-mobile';
  var flavour = hasWeComUA
    ? flavourOfUA(originalUA)
    : CONFIGURED_FLAVOUR || (mobileFrame ? 'android' : 'windows');

  var version = hasWeComUA
    ? (/wxwork\/([\d.]+)/i.exec(originalUA) || [])[1] || '4.1.22'
    : CONFIGURED_VERSION || '4.1.22';

  if (!hasWeComUA) {
    var chrome = (originalUA.match(/Chrome\/[\d.]+/) || ['Chrome/116.0.0.0'])[0];
    var scheme = prefersDark() ? ' ColorScheme/Dark' : ' ColorScheme/Light';
    // Real user agents of each client (wecom-platform.md §7.1).
    var UA = {
      windows:
        'Mozilla/5.0 (Windows NT 10.0; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) ' +
        chrome +
        ' Safari/537.36 Language/zh wxwork/' +
        version +
        ' (MicroMessenger/6.2) WindowsWechat MailPlugin_Electron WeMail embeddisk' +
        scheme,
      mac:
        'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) wxwork/' +
        version +
        ' (MicroMessenger/6.2) WeChat/2.0.4' +
        scheme,
      ios:
        'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 wxwork/' +
        version +
        ' MicroMessenger/7.0.1 Language/zh' +
        scheme,
      android:
        'Mozilla/5.0 (Linux; Android 13; M2012K11AC Build/TKQ1.220829.002; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 ' +
        chrome +
        ' Mobile Safari/537.36 wxwork/' +
        version +
        ' MicroMessenger/7.0.1 NetType/WIFI Language/zh' +
        scheme,
    };
    var PLATFORM = { windows: 'Win32', mac: 'MacIntel', ios: 'iPhone', android: 'Linux armv8l' };
    define(navigator, 'userAgent', UA[flavour]);
    define(navigator, 'platform', PLATFORM[flavour]);
  }

  // APIs that the real client answers only after a successful agentConfig.
  var AGENT_APIS = {
    getContext: 1,
    getCurExternalContact: 1,
    getCurExternalChat: 1,
    sendChatMessage: 1,
    openUserProfile: 1,
    openEnterpriseChat: 1,
  };
  // What this emulated client implements, with the first client version that has each API (wecom-crm.md §6;
  // checkJsApi answers per client: an older version says false, and the API answers `function not exist`).
  var SUPPORTED = {
    config: '1.0.0',
    preVerifyJsApi: '1.0.0',
    agentConfig: '1.0.0',
    checkJsApi: '1.0.0',
    getContext: '3.0.24',
    getCurExternalContact: '2.5.8',
    getCurExternalChat: '2.8.17',
    sendChatMessage: '2.8.10',
    openUserProfile: '2.4.20',
    openEnterpriseChat: '2.0.0',
  };

  function versionAtLeast(v, min) {
    var a = String(v).split('.').map(Number);
    var b = String(min).split('.').map(Number);
    for (var i = 0; i < Math.max(a.length, b.length); i++) {
      var x = a[i] || 0;
      var y = b[i] || 0;
      if (x !== y) return x > y;
    }
    return true;
  }

  function supports(name) {
    return Object.prototype.hasOwnProperty.call(SUPPORTED, name) && versionAtLeast(version, SUPPORTED[name]);
  }

  // Per page: what the client accepted from preVerifyJSAPI (config) and agentConfig.
  var verified = { config: null, agentConfig: null };
  var handlers = {};

  function signUrl() {
    return location.href.split('#')[0];
  }

  function later(callback, result) {
    setTimeout(function () {
      if (typeof callback === 'function') callback(result);
    }, 0);
  }

  function json(method, path, body) {
    return fetch(BASE + path, {
      method: method,
      headers: body ? { 'content-type': 'application/json' } : undefined,
      body: body ? JSON.stringify(body) : undefined,
      credentials: 'same-origin',
      cache: 'no-store',
    }).then(function (res) {
      if (!res.ok) throw new Error('HTTP ' + res.status);
      return res.json();
    });
  }

  // The emulator checks the signature and words the answer as this client flavour does (raw, for the SDK to
  // normalise); a fault injected into bridge/verify comes back as {ok:false, errMsg}.
  function verify(kind, request) {
    request.kind = kind;
    request.url = signUrl();
    request.flavour = flavour;
    return json('POST', '/bridge/verify', request).then(
      function (answer) {
        var ok = !!(answer && answer.ok);
        var reply = answer && answer.reply;
        if (!reply) reply = { err_msg: (answer && answer.errMsg) || kind + ':fail' };
        return { ok: ok, reply: reply };
      },
      function () {
        return { ok: false, reply: { err_msg: kind + ':fail system error' } };
      },
    );
  }

  function listOf(value) {
    return Array.isArray(value) ? value.map(String) : [];
  }

  function preVerify(args, callback) {
    verify('config', {
      corpId: args.verifyAppId || args.appId,
      nonceStr: args.verifyNonceStr,
      timestamp: args.verifyTimestamp,
      signature: args.verifySignature,
    }).then(function (r) {
      verified.config = r.ok
        ? {
            corpId: args.verifyAppId || args.appId,
            signature: args.verifySignature,
            jsApiList: listOf(args.verifyJsApiList),
          }
        : null;
      later(callback, r.reply);
    });
  }

  function agentConfig(args, callback) {
    verify('agentConfig', {
      corpId: args.corpid,
      agentId: args.agentid,
      nonceStr: args.nonceStr,
      timestamp: args.timestamp,
      signature: args.signature,
    }).then(function (r) {
      verified.agentConfig = r.ok
        ? {
            corpId: args.corpid,
            agentId: String(args.agentid),
            signature: args.signature,
            jsApiList: listOf(args.jsApiList),
          }
        : null;
      later(callback, r.reply);
    });
  }

  // The SDK merges verifySignature (from agentConfig when it ran, else from config) into every later call.
  function permitted(name, args) {
    var accepted = verified.agentConfig || verified.config;
    if (!accepted || !args || args.verifySignature !== accepted.signature) return false;
    if (AGENT_APIS[name] && !verified.agentConfig) return false;
    var list = (verified.agentConfig ? verified.agentConfig.jsApiList : []).concat(
      verified.config ? verified.config.jsApiList : [],
    );
    return list.indexOf(name) >= 0;
  }

  function notifyHost(detail) {
    try {
      if (win.parent !== win)
        win.parent.postMessage({ type: 'wecom-emulator:message', detail: detail }, location.origin);
    } catch {
      /* no host window */
    }
  }

  function notifyAction(detail) {
    try {
      if (win.parent !== win)
        win.parent.postMessage({ type: 'wecom-emulator:action', detail: detail }, location.origin);
    } catch {
      /* no host window */
    }
  }

  // The client opens a profile card (type 1 member, 2 customer) or a chat; the simulator shows what opened.
  function openAnswer(name, args) {
    if (name === 'openUserProfile') {
      var type = Number(args.type);
      if ((type !== 1 && type !== 2) || !args.userid)
        return { err_msg: 'openUserProfile:fail invalid params' };
      notifyAction({ api: 'openUserProfile', type: type, userid: String(args.userid) });
      return { err_msg: 'openUserProfile:ok' };
    }
    // The SDK joins the id lists with ';' (userIds, externalUserIds).
    var users = String(args.userIds || '')
      .split(';')
      .filter(Boolean);
    var externals = String(args.externalUserIds || '')
      .split(';')
      .filter(Boolean);
    if (users.length + externals.length === 0 && !args.chatId)
      return { errMsg: 'openEnterpriseChat:invalid params' };
    notifyAction({
      api: 'openEnterpriseChat',
      userIds: users,
      externalUserIds: externals,
      groupName: args.groupName || '',
    });
    return { err_msg: 'openEnterpriseChat:ok', chatId: args.chatId || '' };
  }

  // The caller's own parameters, without the SDK's verify params and callbacks.
  function callArgs(args) {
    var out = {};
    Object.keys(args).forEach(function (k) {
      if (/^(appId|verify[A-Z])/.test(k) || typeof args[k] === 'function') return;
      out[k] = args[k];
    });
    return out;
  }

  // App-identity APIs: the emulator checks the app's and the member's permissions, the visible range and the
  // chat context, then answers as this client flavour does.
  function call(name, args, callback) {
    var app = verified.agentConfig || { corpId: verified.config && verified.config.corpId, agentId: '' };
    json('POST', '/bridge/call', {
      name: name,
      corpId: app.corpId,
      agentId: app.agentId,
      flavour: flavour,
      version: version,
      args: callArgs(args),
    }).then(
      function (answer) {
        if (answer && answer.message) notifyHost({ ok: true, message: answer.message });
        later(callback, (answer && answer.reply) || { err_msg: name + ':fail system error' });
      },
      function () {
        later(callback, { err_msg: name + ':fail system error' });
      },
    );
  }

  function checkJsApi(args, callback) {
    var result = {};
    listOf(args && args.jsApiList).forEach(function (api) {
      result[api] = supports(api);
    });
    later(callback, { err_msg: 'checkJsApi:ok', checkResult: result });
  }

  // ww.initOpenData: when the page did not load jwxwork-1.0.0.js itself, the client injects WWOpenData (the same
  // open-data SDK), which then draws <ww-open-data> names where page code cannot read them.
  function initWwOpenData(callback) {
    if (!verified.agentConfig) return later(callback, { err_msg: 'wwapp.initWwOpenData:fail_nopermission' });
    if (win.WWOpenData) return later(callback, { err_msg: 'wwapp.initWwOpenData:ok' });
    var tag = document.createElement('script');
    tag.src = '/wwopen/js/jwxwork-1.0.0.js';
    tag.onload = function () {
      later(callback, { err_msg: 'wwapp.initWwOpenData:ok' });
    };
    tag.onerror = function () {
      later(callback, { err_msg: 'wwapp.initWwOpenData:fail' });
    };
    document.head.appendChild(tag);
  }

  function invoke(name, args, callback) {
    args = args || {};
    if (name === 'wwapp.initWwOpenData') return initWwOpenData(callback);
    if (name === 'preVerifyJSAPI') return preVerify(args, callback);
    if (name === 'agentConfig') return agentConfig(args, callback);
    if (name === 'checkJsApi') return checkJsApi(args, callback);
    if (!supports(name)) return later(callback, { err_msg: name + ':function not exist' });
    if (!permitted(name, args)) return later(callback, { err_msg: name + ':fail_nopermission' });
    if (name === 'openUserProfile' || name === 'openEnterpriseChat')
      return later(callback, openAnswer(name, args));
    call(name, args, callback);
  }

  function on(eventName, handler) {
    (handlers[eventName] = handlers[eventName] || []).push(handler);
  }

  win.WeixinJSBridge = { invoke: invoke, on: on };
  // The mobile clients expose a sandbox object that ww.initOpenData checks for (Windows does not need it).
  if (!win.WeixinSandBox) win.WeixinSandBox = {};
  // Code that loaded before this script (none in the app, but scripts injected by tools) waits for this event.
  document.dispatchEvent(new Event('WeixinJSBridgeReady'));
})();
