/* 坐席助手: triage as the agent types (debounced), the checklist filled from the caller's words unless the
   agent changed a field, the referral and the wrap-up. Talks only to this app (/console/api/assist/*) with the
   console session's cookie and its CSRF token. No inline code, nothing from outside. */
(function () {
  "use strict";
  var root = document.getElementById("assist");
  if (!root) { return; }
  var CALL = root.dataset.call, CSRF = root.dataset.csrf, PAUSE_MS = 300;
  var $ = function (id) { return document.getElementById(id); };
  var said = $("said"), status = $("status"), form = $("checklist"), wrap = $("wrapup");
  var timer = null, sent = 0, shownSeq = 0, last = null, caseNumber = null;
  var touched = {};  // checklist fields the agent changed by hand: never overwritten again

  function post(path, body) {
    return fetch("/console/api/assist/" + path, {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRF-Token": CSRF},
      body: JSON.stringify(body)
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (data) { return {status: r.status, data: data}; });
    });
  }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }

  function showBanner(banner) {
    var box = $("banner");
    clear(box);
    if (!banner) { box.hidden = true; return; }
    box.className = "banner " + banner.level;
    box.appendChild(el("strong", "", banner.title));
    var list = el("ol");
    banner.script.forEach(function (line) { list.appendChild(el("li", "", line)); });
    box.appendChild(list);
    box.appendChild(el("span", "source", banner.source));
    box.hidden = false;
  }

  function showTriage(view) {
    $("triage").hidden = !view.available;
    if (view.available) {
      $("intent").textContent = view.intent_label + (view.aspect ? "·" + view.aspect : "");
      $("programme").textContent = view.programme_label || "（没说到）";
      $("confidence").textContent = view.low_confidence ? "把握不大，请再问一句" : "把握 " + Math.round(view.confidence * 100) + "%";
      $("confidence").className = view.low_confidence ? "unsure" : "";
    }
    var replies = $("replies");
    clear(replies);
    if (!view.suggestions.length) {
      replies.appendChild(el("li", "empty", view.available ? "等来电人说几句……" : "智能分诊不可用，没有建议话术。"));
    }
    view.suggestions.forEach(function (s) {
      var item = el("li");
      item.appendChild(el("span", "line", s.text));
      item.appendChild(el("span", "source", s.source));
      replies.appendChild(item);
    });
  }

  function showFacts(card) {
    var box = $("facts");
    clear(box);
    $("facts-name").textContent = card ? "·" + card.name : "";
    if (!card) { box.appendChild(el("p", "empty", "说到具体救助项目后，这里显示条件、材料、去哪办、要多久。")); return; }
    card.sections.forEach(function (section) {
      box.appendChild(el("h3", "", section.title));
      var list = el("ul");
      section.facts.forEach(function (fact) {
        var item = el("li");
        item.appendChild(el("span", "line", fact.text));
        item.appendChild(el("span", "source", fact.source));
        list.appendChild(item);
      });
      box.appendChild(list);
    });
  }

  function fill(checklist) {
    Object.keys(checklist).forEach(function (name) {
      if (touched[name]) { return; }
      var value = checklist[name];
      var boxes = form.querySelectorAll('input[type=checkbox][name="' + name + '"]');
      if (boxes.length) {
        boxes.forEach(function (box) {
          box.checked = Array.isArray(value) ? value.indexOf(box.value) >= 0 : value === true;
        });
        return;
      }
      var field = form.elements[name];
      if (field) { field.value = value === null || value === undefined ? "" : String(value); }
    });
    showOffice();
    screenSoon();
  }

  var screenTimer = null;
  function screenSoon() {  // what may apply, for the checklist as it stands
    clearTimeout(screenTimer);
    screenTimer = setTimeout(function () {
      post("screen", {checklist: checklistValues()}).then(function (answer) {
        if (answer.status !== 200) { return; }
        var found = answer.data.findings;
        $("screen").textContent = found.length ? "初步看：" + found.map(function (f) {
          return f.programme + "（" + f.outcome + "）"; }).join("、") + "。" + (found[0].reason || "") :
          "初步看：还没有足够信息，或各项都不太符合。";
      });
    }, PAUSE_MS);
  }

  function showOffice() {
    var option = $("f-township").selectedOptions[0];
    var office = option && option.dataset.office ? option.dataset.office : "户籍所在地乡镇（街道）";
    $("consent-text").textContent = $("consent-text").dataset.template.replace("{office}", office);
  }

  function show(view, ms) {
    last = view;
    showBanner(view.banner);
    showTriage(view);
    showFacts(view.facts);
    fill(view.checklist);
    if (!touched.corrected_intent && view.intent) { $("w-intent").value = view.intent; }
    if (!touched.programme) { $("w-programme").value = view.programme || ""; }
    status.textContent = view.available ? "已更新（" + ms + " 毫秒）" : view.notice;
    status.className = view.available ? "status" : "status down";
  }

  function triage() {
    var text = said.value, seq = ++sent, started = Date.now();
    if (!text.trim()) { return; }
    status.textContent = "分诊中……";
    post("triage", {text: text}).then(function (answer) {
      if (seq < shownSeq) { return; }  // an older answer arriving late
      shownSeq = seq;
      if (answer.status === 401) { status.textContent = "登录已过期，请刷新页面重新登录（已打的字请先复制）。"; return; }
      if (answer.status !== 200) { status.textContent = answer.data.message || "分诊出错了，请稍后再试。"; return; }
      show(answer.data, Date.now() - started);
    }).catch(function () { status.textContent = "连不上服务器，请检查网络。"; });
  }

  said.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(triage, PAUSE_MS);
  });

  form.addEventListener("change", function (event) {
    var name = event.target.name;
    if (name) { touched[name] = true; }
    if (name === "township") { showOffice(); }
    screenSoon();
  });
  form.addEventListener("input", function (event) { if (event.target.name) { touched[event.target.name] = true; } });
  wrap.addEventListener("change", function (event) { if (event.target.name) { touched[event.target.name] = true; } });

  function checklistValues() {
    var values = {};
    ["township", "place_text", "household_size", "income_low", "income_high", "disability", "supporter", "event",
     "event_when", "contact_name", "contact_phone"].forEach(function (name) { values[name] = form.elements[name].value.trim(); });
    ["members", "assets", "benefits"].forEach(function (name) {
      values[name] = Array.prototype.map.call(form.querySelectorAll('input[name="' + name + '"]:checked'),
                                              function (box) { return box.value; });
    });
    ["assets_none", "benefits_none"].forEach(function (name) { values[name] = form.elements[name].checked; });
    return values;
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var error = $("referral-error"), button = $("open-referral");
    error.hidden = true;
    if (!$("consent").checked) {  // the server refuses it too; said here without a round trip
      error.textContent = "请先把同意书读给来电人听，来电人同意后勾选“来电人已同意”。";
      error.hidden = false;
      return;
    }
    button.disabled = true;
    post("referral", {call_id: CALL, consent: $("consent").checked, checklist: checklistValues()}).then(function (answer) {
      button.disabled = false;
      if (answer.status !== 200) {
        error.textContent = answer.data.message || "没有开成，请稍后再试。";
        error.hidden = false;
        return;
      }
      var r = answer.data;
      caseNumber = r.case_number;
      $("case-number").textContent = r.case_number;
      $("case-office").textContent = "已转给" + r.office + (r.office_phone ? "，窗口电话 " + r.office_phone : "") + "。状态：" + r.status_label;
      $("case-suggestions").textContent = r.suggestions.length ? "初步看：" + r.suggestions.map(function (s) {
        return s.programme + "（" + s.outcome + "）"; }).join("、") : "";
      $("case").hidden = false;
      button.textContent = "转介单已开";
      button.disabled = true;
      $("case").scrollIntoView({block: "nearest"});
    }).catch(function () { button.disabled = false; error.textContent = "连不上服务器，请再点一次。"; error.hidden = false; });
  });

  wrap.addEventListener("submit", function (event) {
    event.preventDefault();
    var done = $("wrapup-done");
    post("wrapup", {
      call_id: CALL, text: said.value, corrected_intent: $("w-intent").value, programme: $("w-programme").value || null,
      model_intent: last && last.intent, model_confidence: last && last.available ? last.confidence : null,
      notes: $("w-notes").value, case_number: caseNumber
    }).then(function (answer) {
      done.textContent = answer.data.message || "没有保存成，请再试一次。";
      done.className = "notice " + (answer.status === 200 ? "info" : "error");
      done.hidden = false;
    });
  });

  // keyboard first: Alt+1 the caller's words, Alt+2 the checklist, Alt+3 tick consent, Alt+4 open the referral,
  // Alt+5 the wrap-up (the page's own keys: the browser's access keys differ between systems)
  var KEYS = {
    "1": function () { said.focus(); },
    "2": function () { $("f-township").focus(); },
    "3": function () { var box = $("consent"); box.focus(); box.click(); },
    "4": function () { $("open-referral").focus(); $("open-referral").click(); },
    "5": function () { $("w-intent").focus(); }
  };
  document.addEventListener("keydown", function (event) {
    var action = event.altKey && !event.ctrlKey && !event.metaKey ? KEYS[event.key] : null;
    if (!action) { return; }
    event.preventDefault();
    action();
  });
  showOffice();
}());
