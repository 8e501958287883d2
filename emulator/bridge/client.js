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

  if (!hasWeComUA) {
    var chrome = (originalUA.match(/Chrome\/[\d.]+/) || ['Chrome/116.0.0.0'])[0];
    var scheme = prefersDark() ? ' ColorScheme/Dark' : ' ColorScheme/Light';
    // The simulator's phone frame is named wecom-mobile: it gets the Android client, everything else Windows.
    var mobile = win.name === 'wecom-mobile';
    define(
      navigator,
      'userAgent',
      mobile
        ? 'Mozilla/5.0 (Linux; Android 13; M2012K11AC Build/TKQ1.220829.002; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 ' +
            chrome +
            ' Mobile Safari/537.36 wxwork/4.1.22 MicroMessenger/7.0.1 NetType/WIFI Language/zh' +
            scheme
        : 'Mozilla/5.0 (Windows NT 10.0; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) ' +
            chrome +
            ' Safari/537.36 Language/zh wxwork/4.1.22 (MicroMessenger/6.2) WindowsWechat MailPlugin_Electron WeMail embeddisk' +
            scheme,
    );
    define(navigator, 'platform', mobile ? 'Linux armv8l' : 'Win32');
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
  // What this emulated client implements (answered by checkJsApi).
  var SUPPORTED = {
    config: 1,
    preVerifyJsApi: 1,
    agentConfig: 1,
    checkJsApi: 1,
    getContext: 1,
    getCurExternalContact: 1,
    getCurExternalChat: 1,
    sendChatMessage: 1,
    openUserProfile: 1,
    openEnterpriseChat: 1,
  };

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

  function keyword(errMsg) {
    var text = String(errMsg || 'invalid signature');
    var i = text.indexOf(':');
    if (i >= 0) text = text.slice(i + 1);
    return text.replace(/^fail(ed)?[_ ]/, '') || 'invalid signature';
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

  function verify(kind, request) {
    request.kind = kind;
    request.url = signUrl();
    return json('POST', '/bridge/verify', request).then(
      function (answer) {
        return { ok: !!(answer && answer.ok), errMsg: answer && answer.errMsg };
      },
      function () {
        return { ok: false, errMsg: 'system error' };
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
      if (!r.ok) {
        verified.config = null;
        return later(callback, { err_msg: 'config:' + keyword(r.errMsg) });
      }
      verified.config = {
        corpId: args.verifyAppId || args.appId,
        signature: args.verifySignature,
        jsApiList: listOf(args.verifyJsApiList),
      };
      later(callback, { err_msg: 'config:ok' });
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
      if (!r.ok) {
        verified.agentConfig = null;
        return later(callback, { err_msg: 'agentConfig:fail_' + keyword(r.errMsg) });
      }
      verified.agentConfig = {
        corpId: args.corpid,
        signature: args.signature,
        jsApiList: listOf(args.jsApiList),
      };
      later(callback, { err_msg: 'agentConfig:ok', checkResult: {} });
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

  function clientState() {
    return json('GET', '/client').then(function (data) {
      return (data && data.client) || data || {};
    });
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

  var SINGLE = { single_chat_tools: 1, contact_profile: 1, single_kf_tools: 1 };
  var CHAT_TARGETS = { single_chat_tools: 1, group_chat_tools: 1, single_kf_tools: 1, chat_attachment: 1 };

  function answer(name, args, client) {
    var entry = client.entry || 'normal';
    if (name === 'getContext') return { err_msg: 'getContext:ok', entry: entry };
    if (client.permission === false) return { err_msg: name + ':fail no permission' };
    var noContext = { err_msg: name + ':fail without context of external contact' };
    if (name === 'getCurExternalContact') {
      return SINGLE[entry] && client.externalUserId
        ? { err_msg: 'getCurExternalContact:ok', userId: client.externalUserId }
        : noContext;
    }
    if (name === 'getCurExternalChat') {
      return entry === 'group_chat_tools' && client.chatId
        ? { err_msg: 'getCurExternalChat:ok', chatId: client.chatId }
        : noContext;
    }
    // The client opens a profile card (type 1 member, 2 customer) or a chat; the simulator shows what opened.
    if (name === 'openUserProfile') {
      var type = Number(args.type);
      if ((type !== 1 && type !== 2) || !args.userid)
        return { err_msg: 'openUserProfile:fail invalid params' };
      notifyAction({ api: 'openUserProfile', type: type, userid: String(args.userid) });
      return { err_msg: 'openUserProfile:ok' };
    }
    if (name === 'openEnterpriseChat') {
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
    return null;
  }

  function sendChatMessage(args, client, callback) {
    var entry = client.entry || 'normal';
    if (client.permission === false)
      return later(callback, { err_msg: 'sendChatMessage:fail no permission' });
    var target =
      entry === 'group_chat_tools' && client.chatId
        ? { chatId: client.chatId }
        : CHAT_TARGETS[entry] && entry !== 'group_chat_tools' && client.externalUserId
          ? { externalUserId: client.externalUserId }
          : null;
    if (!target)
      return later(callback, { err_msg: 'sendChatMessage:fail without context of external contact' });
    var msgtype = args.msgtype || 'text';
    var message = { target: target, fromUserId: client.userId, msgtype: msgtype };
    if (msgtype === 'text') {
      if (!args.text || typeof args.text.content !== 'string') {
        return later(callback, { err_msg: 'sendChatMessage:fail invalid arguments' });
      }
      message.text = { content: args.text.content };
    } else if (msgtype === 'news') {
      var news = args.news || {};
      if (news.imgUrl && !/^https?:\/\//i.test(news.imgUrl)) {
        return later(callback, { err_msg: 'sendChatMessage:fail invalid imgUrl' });
      }
      message.news = { link: news.link, title: news.title, desc: news.desc, imgUrl: news.imgUrl };
    } else {
      message[msgtype] = args[msgtype];
    }
    json('POST', '/bridge/messages', message).then(
      function (saved) {
        notifyHost(saved);
        later(callback, { err_msg: 'sendChatMessage:ok' });
      },
      function () {
        later(callback, { err_msg: 'sendChatMessage:fail' });
      },
    );
  }

  function checkJsApi(args, callback) {
    var result = {};
    listOf(args && args.jsApiList).forEach(function (api) {
      result[api] = !!SUPPORTED[api];
    });
    later(callback, { err_msg: 'checkJsApi:ok', checkResult: result });
  }

  // ww.initOpenData: after agentConfig the client injects WWOpenData, which renders <ww-open-data> elements
  // (names that third-party apps never receive from the server API).
  function initWwOpenData(callback) {
    if (!verified.agentConfig) return later(callback, { err_msg: 'wwapp.initWwOpenData:fail_nopermission' });
    if (!win.WWOpenData) {
      win.WWOpenData = { initJSSDK: function () {}, on: function () {} };
      defineOpenDataElement();
    }
    later(callback, { err_msg: 'wwapp.initWwOpenData:ok' });
  }

  function defineOpenDataElement() {
    if (!win.customElements || win.customElements.get('ww-open-data')) return;
    win.customElements.define(
      'ww-open-data',
      class extends HTMLElement {
        static get observedAttributes() {
          return ['type', 'openid'];
        }
        connectedCallback() {
          this.render();
        }
        attributeChangedCallback() {
          if (this.isConnected) this.render();
        }
        render() {
          var query = '?type=' + encodeURIComponent(this.getAttribute('type') || 'userName');
          query += '&openid=' + encodeURIComponent(this.getAttribute('openid') || '');
          json('GET', '/open-data' + query).then(
            (data) => {
              if (data && typeof data.name === 'string' && data.name) this.textContent = data.name;
            },
            function () {
              /* keeps its fallback content */
            },
          );
        }
      },
    );
  }

  function invoke(name, args, callback) {
    args = args || {};
    if (name === 'wwapp.initWwOpenData') return initWwOpenData(callback);
    if (name === 'preVerifyJSAPI') return preVerify(args, callback);
    if (name === 'agentConfig') return agentConfig(args, callback);
    if (name === 'checkJsApi') return checkJsApi(args, callback);
    if (!SUPPORTED[name]) return later(callback, { err_msg: name + ':function not exist' });
    if (!permitted(name, args)) return later(callback, { err_msg: name + ':fail_nopermission' });
    clientState().then(
      function (client) {
        if (name === 'sendChatMessage') return sendChatMessage(args, client, callback);
        later(callback, answer(name, args, client) || { err_msg: name + ':function not exist' });
      },
      function () {
        later(callback, { err_msg: name + ':fail system error' });
      },
    );
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
