// The H5 application flow: steps validated as typed by the server's own rules, a live
// quote, separate consents, camera and microphone capture, the device collector and a
// submission with one Idempotency-Key per draft. Nothing is written to browser storage:
// the draft lives in this page's memory and is wiped once the result is shown.
(function () {
  "use strict";
  var root = document.getElementById("apply");
  if (!root) { return; }
  var T = JSON.parse(document.getElementById("h5-text").textContent);
  var LANG = root.getAttribute("data-lang");
  var LINK = root.getAttribute("data-link");
  var META = document.querySelector('meta[name="csrf-token"]');
  var CSRF = META ? META.getAttribute("content") : "";
  var form = document.getElementById("draft");
  var STEPS = ["applicant", "contacts", "vehicle", "financing", "consent", "capture", "submit"];
  var FRAMES = 8, FRAME_MS = 200, VOICE_MS = 3000, VOICE_RATE = 16000;
  var state = {
    step: 0, key: newKey(), touched: {}, errors: [], contactMap: [], payload: null,
    samples: emptySamples(), device: null, stream: null, timer: null, quoteTimer: null
  };

  function $(id) { return document.getElementById(id); }
  function emptySamples() { return { selfie: null, id_photo: null, liveness_frames: [], voice: null }; }

  function newKey() {
    if (window.crypto && crypto.randomUUID) { return "h5-" + crypto.randomUUID(); }
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return "h5-" + Array.prototype.map.call(bytes, function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }

  function msg(error) { return LANG === "en" ? error.message_en : error.message_zh; }

  // ---- the server ----------------------------------------------------------------------
  function call(method, path, body, headers) {
    var h = { "Accept": "application/json" };
    if (body !== undefined) { h["Content-Type"] = "application/json"; }
    if (LINK) { h["X-Applicant-Link"] = LINK; } else { h["X-CSRF-Token"] = CSRF; }
    Object.keys(headers || {}).forEach(function (k) { h[k] = headers[k]; });
    var init = { method: method, headers: h, credentials: "same-origin" };
    if (body !== undefined) { init.body = typeof body === "string" ? body : JSON.stringify(body); }
    return fetch(path, init).then(function (response) {
      return response.json().then(function (data) { return { status: response.status, body: data }; },
        function () { return { status: response.status, body: {} }; });
    });
  }

  // ---- the draft -----------------------------------------------------------------------
  function kind() { return form.querySelector('input[name="applicant.type"]:checked').value; }

  function setPath(obj, path, value) {
    var parts = path.split("."), node = obj;
    for (var i = 0; i < parts.length - 1; i++) {
      if (typeof node[parts[i]] !== "object" || node[parts[i]] === null) { node[parts[i]] = {}; }
      node = node[parts[i]];
    }
    node[parts[parts.length - 1]] = value;
  }

  function valueOf(el) {
    var v = el.value.trim();
    if (el.name === "vehicle.vin" || el.name.slice(-4) === "uscc" || el.name.slice(-9) === "id_number") {
      v = v.toUpperCase();
    }
    if ((el.getAttribute("data-int") || el.name === "financing.term_months") && /^\d+$/.test(v)) {
      return Number(v);
    }
    return v;
  }

  function inDraft(el) {
    if (!el.name || el.disabled || el.type === "file" || el.name.indexOf("consent.") === 0) { return false; }
    if (el.type === "radio" && !el.checked) { return false; }
    if (el.name.indexOf("applicant.emergency_contacts.") === 0) { return false; }
    var group = el.closest(".group");
    return !group || group.getAttribute("data-kind") === kind();
  }

  function contacts() {
    var out = [];
    state.contactMap = [];
    form.querySelectorAll(".contact-row").forEach(function (row) {
      var i = row.getAttribute("data-row"), base = "applicant.emergency_contacts." + i + ".";
      var name = form.elements[base + "name"].value.trim();
      var phone = form.elements[base + "phone"].value.trim();
      if (name || phone) {
        out.push({ name: name, phone: phone, relation: form.elements[base + "relation"].value });
        state.contactMap.push(i);
      }
    });
    return out;
  }

  function buildDraft() {
    var draft = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!inDraft(el)) { return; }
      var v = valueOf(el);
      if (v !== "") { setPath(draft, el.name, v); }
    });
    draft.applicant = draft.applicant || {};
    draft.applicant.emergency_contacts = contacts();
    if (draft.vehicle && !draft.vehicle.seller) { draft.vehicle.seller = { type: "dealer" }; }
    return draft;
  }

  // ---- errors, as typed ----------------------------------------------------------------
  function inputName(field) {
    var m = /^applicant\.emergency_contacts\.(\d+)\.(.+)$/.exec(field);
    if (m && state.contactMap[Number(m[1])] !== undefined) {
      return "applicant.emergency_contacts." + state.contactMap[Number(m[1])] + "." + m[2];
    }
    return field;
  }

  function ofStep(field, step) {
    var contactsField = field.indexOf("applicant.emergency_contacts") === 0;
    if (step === "applicant") { return !contactsField && (field === "applicant" || field.indexOf("applicant.") === 0); }
    if (step === "contacts") { return contactsField; }
    if (step === "vehicle" || step === "financing") { return field === step || field.indexOf(step + ".") === 0; }
    if (step === "capture") { return field.indexOf("biometrics") === 0; }
    return step === "submit";
  }

  function section(step) { return $("step-" + step); }

  function errorSlot(sec, name) {
    var slots = sec.querySelectorAll('.field-error[data-for="' + name + '"]');
    for (var i = 0; i < slots.length; i++) {
      var group = slots[i].closest(".group");
      if (!group || group.getAttribute("data-kind") === kind()) { return slots[i]; }
    }
    return null;
  }

  function showErrors(step, all) {
    var sec = section(step), shown = 0, loose = [];
    sec.querySelectorAll(".field-error").forEach(function (slot) { slot.textContent = ""; });
    sec.querySelectorAll("[aria-invalid]").forEach(function (el) { el.removeAttribute("aria-invalid"); });
    state.errors.filter(function (e) { return ofStep(e.field, step); }).forEach(function (e) {
      var name = inputName(e.field), slot = errorSlot(sec, name);
      if (!slot) { if (all) { loose.push(e); } return; }
      if (!all && !state.touched[name]) { return; }
      if (!slot.textContent) { slot.textContent = msg(e); shown++; }
      var input = slot.parentNode.querySelector("input, select");
      if (input) { input.setAttribute("aria-invalid", "true"); }
    });
    var alert = sec.querySelector(".step-error");
    if (!alert) {
      alert = document.createElement("p");
      alert.className = "alert step-error";
      alert.setAttribute("role", "alert");
      sec.appendChild(alert);
    }
    alert.textContent = loose.map(function (e) { return e.field + ": " + msg(e); }).join("; ");
    alert.hidden = loose.length === 0;
    return shown + loose.length;
  }

  function check() {
    return call("POST", "/h5/api/check", buildDraft()).then(function (r) {
      state.errors = r.status === 200 ? r.body.errors : [];
      showErrors(STEPS[state.step], false);
      return r;
    });
  }

  function scheduleCheck() {
    clearTimeout(state.timer);
    state.timer = setTimeout(check, 300);
    if (STEPS[state.step] === "financing") { scheduleQuote(); }
  }

  form.addEventListener("input", function (event) {
    if (event.target.name) { state.touched[inputName(event.target.name)] = true; }
    if (event.target.name === "vehicle.vin") { decodeVin(event.target.value.trim().toUpperCase()); }
    scheduleCheck();
  });
  form.addEventListener("change", function (event) {
    if (event.target.name === "applicant.type") { showKind(); }
    if (event.target.name) { state.touched[inputName(event.target.name)] = true; }
    scheduleCheck();
  });

  function showKind() {
    form.querySelectorAll(".group").forEach(function (group) {
      var on = group.getAttribute("data-kind") === kind();
      group.hidden = !on;
      group.querySelectorAll("input, select").forEach(function (el) { el.disabled = !on; });
    });
  }

  // ---- the VIN and the quote -----------------------------------------------------------
  function fill(list, values) {
    list.textContent = "";
    values.forEach(function (v) {
      var option = document.createElement("option");
      option.value = v;
      list.appendChild(option);
    });
  }

  function decodeVin(vin) {
    if (vin.length !== 17) { $("vin-facts").textContent = ""; return; }
    call("GET", "/h5/api/vin/" + encodeURIComponent(vin)).then(function (r) {
      if (r.status !== 200) { $("vin-facts").textContent = ""; return; }
      var d = r.body, facts = [d.brands.join(" / "), d.manufacturer];
      if (d.model_year) { facts.push(T.vin_year + " " + d.model_year); }
      $("vin-facts").textContent = facts.filter(Boolean).join(" · ");
      var brands = d.brands.slice();
      d.suggestions.forEach(function (s) { if (brands.indexOf(s.brand) < 0) { brands.push(s.brand); } });
      fill($("brand-list"), brands);
      fill($("model-list"), d.suggestions.map(function (s) { return s.model; }));
      var brand = form.elements["vehicle.brand"];
      if (!brand.value && d.brands.length) { brand.value = d.brands[0]; }
    });
  }

  function scheduleQuote() {
    clearTimeout(state.quoteTimer);
    state.quoteTimer = setTimeout(quote, 400);
  }

  function item(text) {
    var li = document.createElement("li");
    li.textContent = text;
    return li;
  }

  function offerText(o) {
    var product = o.product ? (LANG === "en" ? o.product.name_en : o.product.name_zh) :
      (LANG === "en" ? o.product_en : o.product_zh);
    return product + " · " + o.term_months + " " + T.months + " · " + T.monthly + " ¥" +
      o.monthly_payment + " · APR " + o.apr_percent;
  }

  function quote() {
    $("quote-status").textContent = T.quote_wait;
    call("POST", "/h5/api/quote", buildDraft()).then(function (r) {
      var offers = $("quote-offers"), changes = $("quote-changes");
      offers.textContent = ""; changes.textContent = "";
      $("quote-feasible").hidden = true;
      if (r.status !== 200) { $("quote-status").textContent = T.quote_fill; return; }
      r.body.offers.forEach(function (o) { offers.appendChild(item(offerText(o))); });
      $("quote-status").textContent = "";
      if (!r.body.offers.length) {
        $("quote-message").textContent = (LANG === "en" ? r.body.message_en : r.body.message_zh) || T.quote_none;
        r.body.changes.forEach(function (c) { changes.appendChild(item(LANG === "en" ? c.message_en : c.message_zh)); });
        $("quote-feasible").hidden = false;
      }
    });
  }

  // ---- steps ---------------------------------------------------------------------------
  function bioConsent() { return $("consent-bio").checked; }

  function show(index) {
    state.step = index;
    STEPS.forEach(function (step, i) {
      section(step).hidden = i !== index;
      var li = document.querySelector('#progress li[data-step="' + step + '"]');
      li.className = i === index ? "current" : (i < index ? "done" : "");
    });
    var step = STEPS[index];
    $("back").hidden = index === 0 || state.payload !== null;
    $("next").hidden = step === "submit";
    if (step === "financing") { scheduleQuote(); }
    if (step === "capture") { startCapture(); }
    if (step === "submit") { stopCamera(); review(); collectDevice(); }
    window.scrollTo(0, 0);
  }

  function next() {
    var step = STEPS[state.step];
    if (step === "consent") {
      var slot = errorSlot(section("consent"), "consent.personal_information");
      slot.textContent = $("consent-pi").checked ? "" : T.need_consent;
      if (!$("consent-pi").checked) { return; }
      return show(state.step + (bioConsent() ? 1 : 2));
    }
    if (step === "capture") { return show(state.step + 1); }
    $("next").disabled = true;
    check().then(function () {
      $("next").disabled = false;
      if (showErrors(step, true) === 0) { show(state.step + 1); }
    }, function () { $("next").disabled = false; });
  }

  $("next").addEventListener("click", next);
  $("back").addEventListener("click", function () {
    var back = state.step - 1;
    if (STEPS[back] === "capture" && !bioConsent()) { back--; }
    show(back);
  });

  // ---- capture -------------------------------------------------------------------------
  function startCapture() {
    $("capture-skipped").hidden = bioConsent();
    $("capture-parts").hidden = !bioConsent();
    if (!bioConsent() || state.stream) { return; }
    var media = navigator.mediaDevices;
    if (!media || !media.getUserMedia) { return cameraOff(); }
    media.getUserMedia({ video: { facingMode: "user", width: 640, height: 480 }, audio: false })
      .then(function (stream) { state.stream = stream; $("camera").srcObject = stream; }, cameraOff);
  }

  function cameraOff() {
    $("camera-status").textContent = T.camera_off;
    ["take-selfie", "take-id-photo", "take-liveness"].forEach(function (id) { $(id).hidden = true; });
    $("camera").hidden = true;
  }

  function stopCamera() {
    if (state.stream) { state.stream.getTracks().forEach(function (t) { t.stop(); }); }
    state.stream = null;
    $("camera").srcObject = null;
  }

  function grab() {
    var video = $("camera"), canvas = $("frame");
    var width = Math.min(480, video.videoWidth || 480);
    var height = Math.round(width * ((video.videoHeight || 360) / (video.videoWidth || 480)));
    canvas.width = width; canvas.height = height;
    canvas.getContext("2d").drawImage(video, 0, 0, width, height);
    return canvas.toDataURL("image/jpeg", 0.85).split(",")[1];
  }

  function mark(id) { $(id).hidden = false; }

  $("take-selfie").addEventListener("click", function () { state.samples.selfie = grab(); mark("selfie-done"); });
  $("take-id-photo").addEventListener("click", function () { state.samples.id_photo = grab(); mark("id-photo-done"); });
  $("take-liveness").addEventListener("click", function () {
    var frames = [], button = $("take-liveness");
    button.disabled = true;
    var tick = setInterval(function () {
      frames.push(grab());
      if (frames.length >= FRAMES) {
        clearInterval(tick);
        state.samples.liveness_frames = frames;
        button.disabled = false;
        mark("liveness-done");
      }
    }, FRAME_MS);
  });

  function readFile(input, done) {
    input.addEventListener("change", function () {
      var file = input.files && input.files[0];
      if (!file) { return; }
      var reader = new FileReader();
      reader.onload = function () { done(String(reader.result).split(",")[1]); };
      reader.readAsDataURL(file);
    });
  }
  readFile($("selfie-file"), function (b64) { state.samples.selfie = b64; mark("selfie-done"); });
  readFile($("id-photo-file"), function (b64) { state.samples.id_photo = b64; mark("id-photo-done"); });
  readFile($("voice-file"), function (b64) { state.samples.voice = b64; mark("voice-done"); });

  $("take-voice").addEventListener("click", function () {
    var media = navigator.mediaDevices, button = $("take-voice");
    if (!media || !media.getUserMedia) { $("camera-status").textContent = T.mic_off; return; }
    button.disabled = true;
    media.getUserMedia({ audio: true, video: false }).then(function (stream) {
      record(stream, function (b64) {
        stream.getTracks().forEach(function (t) { t.stop(); });
        state.samples.voice = b64;
        button.disabled = false;
        mark("voice-done");
      });
    }, function () { button.disabled = false; $("camera-status").textContent = T.mic_off; });
  });

  function record(stream, done) {
    var Ctx = window.AudioContext || window.webkitAudioContext;
    var ctx = new Ctx(), source = ctx.createMediaStreamSource(stream);
    if (ctx.resume) { ctx.resume(); }
    var node = ctx.createScriptProcessor(4096, 1, 1), chunks = [];
    node.onaudioprocess = function (e) { chunks.push(new Float32Array(e.inputBuffer.getChannelData(0))); };
    source.connect(node);
    node.connect(ctx.destination);
    setTimeout(function () {
      node.disconnect(); source.disconnect();
      var rate = ctx.sampleRate;
      ctx.close();
      done(wav(resample(chunks, rate, VOICE_RATE), VOICE_RATE));
    }, VOICE_MS);
  }

  function resample(chunks, from, to) {
    var total = chunks.reduce(function (n, c) { return n + c.length; }, 0);
    var all = new Float32Array(total), at = 0;
    chunks.forEach(function (c) { all.set(c, at); at += c.length; });
    var out = new Float32Array(Math.floor(total * to / from));
    for (var i = 0; i < out.length; i++) { out[i] = all[Math.floor(i * from / to)]; }
    return out;
  }

  function wav(samples, rate) {
    var buffer = new ArrayBuffer(44 + samples.length * 2), v = new DataView(buffer);
    function text(at, s) { for (var i = 0; i < s.length; i++) { v.setUint8(at + i, s.charCodeAt(i)); } }
    text(0, "RIFF"); v.setUint32(4, 36 + samples.length * 2, true); text(8, "WAVE");
    text(12, "fmt "); v.setUint32(16, 16, true); v.setUint16(20, 1, true); v.setUint16(22, 1, true);
    v.setUint32(24, rate, true); v.setUint32(28, rate * 2, true); v.setUint16(32, 2, true);
    v.setUint16(34, 16, true); text(36, "data"); v.setUint32(40, samples.length * 2, true);
    for (var i = 0; i < samples.length; i++) {
      var s = Math.max(-1, Math.min(1, samples[i]));
      v.setInt16(44 + i * 2, s < 0 ? s * 0x8000 : s * 0x7fff, true);
    }
    var bytes = new Uint8Array(buffer), binary = "";
    for (var j = 0; j < bytes.length; j += 0x8000) {
      binary += String.fromCharCode.apply(null, bytes.subarray(j, j + 0x8000));
    }
    return btoa(binary);
  }

  // ---- the device collector, review, submission ----------------------------------------
  function collectDevice() {
    if (state.device) { return; }
    var agent = navigator.userAgent.slice(0, 500);
    state.device = { user_agent: agent };
    if (!window.AutoleaseDevice) { $("device-status").textContent = T.device_failed; return; }
    window.AutoleaseDevice.register().then(function (d) {
      state.device = { fingerprint_id: d.fingerprint_id, user_agent: agent, signals: d.signals || {} };
      $("device-status").textContent = T.device_done;
    }, function () { $("device-status").textContent = T.device_failed; });
  }

  function review() {
    var d = buildDraft(), list = $("review"), s = state.samples;
    var a = d.applicant || {}, v = d.vehicle || {}, f = d.financing || {};
    var count = [s.selfie, s.id_photo, s.voice].filter(Boolean).length + (s.liveness_frames.length ? 1 : 0);
    list.textContent = "";
    [[T.applicant, [a.name, a.phone].filter(Boolean).join(" · ")],
     [T.vehicle, [v.brand, v.model, v.vin].filter(Boolean).join(" · ")],
     [T.financing, "¥" + (f.amount || "") + " · " + (f.term_months || "") + " " + T.months],
     [T.samples, bioConsent() && count ? String(count) : T.none]].forEach(function (row) {
      var dt = document.createElement("dt"), dd = document.createElement("dd");
      dt.textContent = row[0]; dd.textContent = row[1];
      list.appendChild(dt); list.appendChild(dd);
    });
  }

  function biometrics() {
    var s = state.samples;
    if (!bioConsent() || !(s.selfie || s.id_photo || s.voice || s.liveness_frames.length)) { return undefined; }
    var out = { liveness_challenge: "blink" };
    if (s.selfie) { out.selfie = s.selfie; }
    if (s.id_photo) { out.id_photo = s.id_photo; }
    if (s.voice) { out.voice = s.voice; }
    if (s.liveness_frames.length) { out.liveness_frames = s.liveness_frames; }
    return out;
  }

  function payload() {
    var application = buildDraft(), bio = biometrics();
    application.device = state.device || { user_agent: navigator.userAgent.slice(0, 500) };
    if (bio) { application.biometrics = bio; }
    return JSON.stringify({
      application: application,
      consent: { personal_information: $("consent-pi").checked, biometrics: bioConsent() }
    });
  }

  function submitError(text) {
    $("submit-error").textContent = text;
    $("submit-error").hidden = !text;
  }

  function send() {
    if (state.payload === null) { state.payload = payload(); }  // frozen: a retry resends it
    $("submit").disabled = true; $("retry").hidden = true; $("back").hidden = true;
    submitError("");
    $("device-status").textContent = T.submitting;
    call("POST", "/h5/api/applications", state.payload, { "Idempotency-Key": state.key })
      .then(answered, function () {
        submitError(T.network);
        $("retry").hidden = false;
        $("submit").hidden = true;
      });
  }

  function answered(r) {
    $("submit").disabled = false;
    $("device-status").textContent = "";
    if (r.status === 201) { return showResult(r.body); }
    state.payload = null;  // not accepted: nothing was stored, the draft may change
    $("back").hidden = false;
    if (r.status === 422 && r.body.errors) {
      state.errors = r.body.errors.map(function (e) {  // the draft's fields, as /check names them
        return { field: e.field.replace(/^application\./, ""), rule: e.rule,
          message_en: e.message_en, message_zh: e.message_zh };
      });
      var first = STEPS.filter(function (step) {
        return state.errors.some(function (e) { return ofStep(e.field, step); });
      })[0] || "submit";
      if (first !== "submit") { show(STEPS.indexOf(first)); }
      showErrors(first, true);
      submitError(T.fix);
      return;
    }
    submitError(T.refused + " " + (r.body.detail || r.status));
  }

  $("submit").addEventListener("click", send);
  $("retry").addEventListener("click", send);

  function showResult(r) {
    wipe();
    $("result-title").textContent = T.decision + ": " + (T[r.outcome] || r.status);
    $("result").className = "card result outcome-" + r.outcome;
    $("result").setAttribute("data-outcome", r.outcome || "");
    $("result-id").textContent = T.application_no + " " + r.application_id;
    var offers = $("result-offers"), reasons = $("result-reasons");
    r.offers.forEach(function (o) { offers.appendChild(item(offerText(o))); });
    $("result-offers-block").hidden = r.offers.length === 0;
    r.reasons.forEach(function (reason) {
      var li = item(LANG === "en" ? reason.message_en : reason.message_zh);
      li.setAttribute("data-code", reason.code);
      var action = LANG === "en" ? reason.action_en : reason.action_zh;
      if (action) {
        var span = document.createElement("span");
        span.className = "muted";
        span.textContent = " — " + T.what_to_do + ": " + action;
        li.appendChild(span);
      }
      reasons.appendChild(li);
    });
    $("result-reasons-block").hidden = r.reasons.length === 0;
    if (r.human_review) {
      $("result-review").querySelectorAll("p").forEach(function (p) {
        p.textContent = p.textContent.replace("__APPLICATION_ID__", r.application_id);
      });
      $("result-review").hidden = false;
    }
    $("outcome").hidden = false;
    window.scrollTo(0, 0);
  }

  function wipe() {
    stopCamera();
    form.reset();
    form.hidden = true;
    $("progress").hidden = true;
    $("review").textContent = "";
    $("vin-facts").textContent = "";
    fill($("brand-list"), []); fill($("model-list"), []);
    state.samples = emptySamples();
    state.payload = null; state.device = null; state.errors = []; state.touched = {};
    state.key = null;
  }

  showKind();
  show(0);
})();
