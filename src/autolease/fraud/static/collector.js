/*
 * autolease device collector (Apache-2.0, part of autolease; no third-party code).
 *
 * Usage on the SP's application page:
 *   <script src="https://<api>/v1/device/collector.js"></script>
 *   AutoleaseDevice.register().then(function (device) {
 *     // put device.fingerprint_id (and device.signals) into the application's "device" field
 *   });
 *
 * collect() resolves to the raw signals; register() posts them to /v1/device/fingerprints
 * (same origin as this script) and resolves to {fingerprint_id, signals} where signals is
 * the compact subset to send with the application body (device.signals).
 * Nothing here reads cookies, storage, contacts or location.
 */
(function (root) {
  "use strict";

  var SCRIPT = document.currentScript && document.currentScript.src;
  var FONTS = [
    "SimSun", "SimHei", "Microsoft YaHei", "KaiTi", "FangSong", "PingFang SC",
    "Hiragino Sans GB", "STHeiti", "Noto Sans CJK SC", "WenQuanYi Micro Hei", "Arial",
    "Courier New", "Georgia", "Times New Roman", "Verdana", "Helvetica", "Segoe UI",
    "Roboto", "Ubuntu", "Tahoma"
  ];
  var AUTOMATION = [
    "__webdriver_evaluate", "__selenium_evaluate", "__webdriver_script_function",
    "__webdriver_unwrapped", "__fxdriver_evaluate", "__driver_unwrapped",
    "_Selenium_IDE_Recorder", "callPhantom", "_phantom", "phantom", "domAutomation",
    "domAutomationController", "__nightmare", "__playwright__binding__", "__pwInitScripts"
  ];

  // 64-bit FNV-1a as two 32-bit halves (hex); enough to compare, not a secret.
  function hash(text) {
    var h1 = 0x811c9dc5, h2 = 0x01000193 ^ text.length;
    for (var i = 0; i < text.length; i++) {
      var c = text.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
      h2 = Math.imul(h2 ^ (c + i), 0x5bd1e995) >>> 0;
    }
    return ("0000000" + h1.toString(16)).slice(-8) + ("0000000" + h2.toString(16)).slice(-8);
  }

  function safe(fn, fallback) {
    try { return fn(); } catch (e) { return fallback; }
  }

  function canvasHash() {
    return safe(function () {
      var c = document.createElement("canvas");
      c.width = 240; c.height = 60;
      var g = c.getContext("2d");
      g.textBaseline = "top";
      g.font = "16px 'Arial'";
      g.fillStyle = "#f60"; g.fillRect(100, 1, 62, 20);
      g.fillStyle = "#069"; g.fillText("autolease 二手车融资租赁 \u2764", 2, 15);
      g.fillStyle = "rgba(102, 204, 0, 0.7)"; g.fillText("autolease 二手车融资租赁", 4, 17);
      g.globalCompositeOperation = "multiply";
      g.beginPath(); g.arc(50, 30, 20, 0, Math.PI * 2); g.fill();
      return hash(c.toDataURL());
    }, null);
  }

  function webgl() {
    return safe(function () {
      var c = document.createElement("canvas");
      var gl = c.getContext("webgl") || c.getContext("experimental-webgl");
      if (!gl) { return {}; }
      var info = gl.getExtension("WEBGL_debug_renderer_info");
      var params = [gl.MAX_TEXTURE_SIZE, gl.MAX_VIEWPORT_DIMS, gl.MAX_VERTEX_ATTRIBS,
        gl.MAX_RENDERBUFFER_SIZE, gl.ALIASED_LINE_WIDTH_RANGE, gl.SHADING_LANGUAGE_VERSION]
        .map(function (p) { return String(gl.getParameter(p)); });
      return {
        webgl: hash((gl.getSupportedExtensions() || []).join(",") + "|" + params.join("|")),
        webgl_vendor: info ? String(gl.getParameter(info.UNMASKED_VENDOR_WEBGL)) : null,
        webgl_renderer: info ? String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL)) : null
      };
    }, {});
  }

  function audioHash() {
    var Ctx = root.OfflineAudioContext || root.webkitOfflineAudioContext;
    if (!Ctx) { return Promise.resolve(null); }
    return new Promise(function (resolve) {
      try {
        var ctx = new Ctx(1, 5000, 44100);
        var osc = ctx.createOscillator();
        osc.type = "triangle"; osc.frequency.value = 10000;
        var comp = ctx.createDynamicsCompressor();
        comp.threshold.value = -50; comp.knee.value = 40; comp.ratio.value = 12;
        osc.connect(comp); comp.connect(ctx.destination); osc.start(0);
        var timer = setTimeout(function () { resolve(null); }, 1000);
        ctx.oncomplete = function (event) {
          clearTimeout(timer);
          var data = event.renderedBuffer.getChannelData(0), sum = 0;
          for (var i = 4500; i < 5000; i++) { sum += Math.abs(data[i]); }
          resolve(hash(sum.toString()));
        };
        ctx.startRendering();
      } catch (e) {
        resolve(null);
      }
    });
  }

  function fontsHash() {
    return safe(function () {
      var span = document.createElement("span");
      span.style.cssText = "position:absolute;left:-9999px;font-size:72px;visibility:hidden";
      span.textContent = "mmmmmmmmmwwwwwww永和九年";
      document.body.appendChild(span);
      var base = {};
      ["monospace", "serif", "sans-serif"].forEach(function (f) {
        span.style.fontFamily = f; base[f] = span.offsetWidth + "x" + span.offsetHeight;
      });
      var found = FONTS.filter(function (font) {
        return ["monospace", "serif", "sans-serif"].some(function (f) {
          span.style.fontFamily = "'" + font + "'," + f;
          return span.offsetWidth + "x" + span.offsetHeight !== base[f];
        });
      });
      document.body.removeChild(span);
      return hash(found.join(","));
    }, null);
  }

  function automation() {
    var found = AUTOMATION.filter(function (name) { return name in root || name in document; });
    safe(function () {
      Object.keys(document).concat(Object.keys(root)).forEach(function (key) {
        if (/^\$?cdc_|^\$wdc_/.test(key)) { found.push("cdc"); }
      });
    }, null);
    return found.length ? found.join(",") : null;
  }

  function collect() {
    var nav = root.navigator || {};
    var ua = nav.userAgent || "";
    var gl = webgl();
    return audioHash().then(function (audio) {
      return {
        collector: "autolease/1",
        canvas: canvasHash(),
        webgl: gl.webgl || null,
        webgl_vendor: gl.webgl_vendor || null,
        webgl_renderer: gl.webgl_renderer || null,
        audio: audio,
        fonts: document.body ? fontsHash() : null,
        user_agent: ua.slice(0, 256),
        platform: nav.platform || null,
        screen: safe(function () {
          return screen.width + "x" + screen.height + "x" + screen.colorDepth;
        }, null),
        pixel_ratio: root.devicePixelRatio || null,
        timezone: safe(function () {
          return Intl.DateTimeFormat().resolvedOptions().timeZone;
        }, null),
        tz_offset: new Date().getTimezoneOffset(),
        languages: (nav.languages && nav.languages.length ? nav.languages : [nav.language])
          .filter(Boolean).join(",").slice(0, 256) || null,
        touch_points: typeof nav.maxTouchPoints === "number" ? nav.maxTouchPoints : null,
        cpu: nav.hardwareConcurrency || null,
        memory: nav.deviceMemory || null,
        plugins: nav.plugins ? nav.plugins.length : null,
        cookies: nav.cookieEnabled === true,
        webdriver: nav.webdriver === true,
        headless: /HeadlessChrome/.test(ua) ||
          (root.outerWidth === 0 && root.outerHeight === 0),
        automation: automation()
      };
    });
  }

  function endpoint() {
    var base = SCRIPT ? SCRIPT.replace(/\/v1\/device\/collector\.js.*$/, "") : "";
    return base + "/v1/device/fingerprints";
  }

  var COMPACT = ["timezone", "tz_offset", "languages", "webdriver", "headless", "automation"];

  function register(url) {
    return collect().then(function (signals) {
      var clean = {};
      Object.keys(signals).forEach(function (k) {
        if (signals[k] !== null && signals[k] !== undefined) { clean[k] = signals[k]; }
      });
      return fetch(url || endpoint(), {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ signals: clean })
      }).then(function (response) {
        if (!response.ok) { throw new Error("device registration failed: " + response.status); }
        return response.json();
      }).then(function (body) {
        var compact = {};
        COMPACT.forEach(function (k) { if (k in clean) { compact[k] = clean[k]; } });
        return { fingerprint_id: body.fingerprint_id, signals: compact };
      });
    });
  }

  root.AutoleaseDevice = { collect: collect, register: register, version: "autolease/1" };
})(window);
