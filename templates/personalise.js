/* The personalise page (templates/personalise.html): checks the form, puts the copy together from the parts the
   build rendered (<template> elements) and opens the print dialog. It does no dose arithmetic and makes no
   safety decision: every plan, sentence and card is the build's. It only fills in text (textContent, never
   HTML) and dates (Intl.DateTimeFormat, in the PDF's CLDR pattern), and lays a course's dates out from its
   start date by adding days. It sends nothing and stores nothing. */
(function () {
  'use strict';
  var form = document.getElementById('personalise');
  if (!form) { return; }
  var DAY_MS = 86400000;
  var PLAUSIBLE_DAYS = 366; // as build.py print: a date further from today is a typing mistake
  var REF_RE = /^(?=.*[0-9])[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/;
  var PLAIN_RE = /[<>\p{Cc}\p{Cf}\p{Cs}\p{Co}]/u;
  var JOINER_RE = /[\u200c\u200d]/gu;
  var JOINED_RE = /[\p{L}\p{M}][\u200c\u200d](?=[\p{L}\p{M}])/gu;
  var MARKS_RE = /[\p{Mn}\p{Me}]{4,}/u;
  var summary = document.getElementById('lf-error-summary');
  var printout = document.getElementById('lf-printout');
  var pageTitle = document.title;

  document.querySelectorAll('[data-lf-without-script]').forEach(function (el) { el.hidden = true; });
  document.querySelectorAll('[data-lf-with-script]').forEach(function (el) { el.hidden = false; });
  setDateLimits();
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var values = readForm();
    var errors = check(values);
    showErrors(errors);
    if (errors.length) { printout.hidden = true; return; }
    assemble(values);
    window.print();
  });

  function template(id) {
    return document.getElementById(id).content.cloneNode(true);
  }

  function message(key) {
    return template('lf-messages').querySelector('[data-message="' + key + '"]').textContent;
  }

  function field(name) { return form.elements.namedItem(name); }

  function readForm() {
    var regimen = form.querySelector('input[name="regimen"]:checked');
    var paper = form.querySelector('input[name="paper"]:checked');
    return {
      regimen: regimen,
      start: dateField('start_date'),
      next: dateField('next_appointment'),
      clinic: field('clinic').value,
      name: field('name').value.normalize('NFC').split(/\s+/).filter(Boolean).join(' '),
      prescriber: field('prescriber').value.split(/\s+/).filter(Boolean).join(' '),
      ref: field('ref').value.trim(),
      largePrint: field('large_print').checked,
      paper: paper ? paper.value : 'a4'
    };
  }

  /* A date input's day as UTC midnight in ms; null when empty; NaN when half typed. */
  function dateField(name) {
    var input = field(name);
    if (!input) { return null; }
    if (input.validity.badInput) { return NaN; }
    return input.value ? Date.parse(input.value + 'T00:00:00Z') : null;
  }

  function today() {
    var now = new Date();
    return Date.UTC(now.getFullYear(), now.getMonth(), now.getDate());
  }

  function setDateLimits() {
    ['start_date', 'next_appointment'].forEach(function (name) {
      var input = field(name);
      if (!input) { return; }
      input.min = new Date(today() - PLAUSIBLE_DAYS * DAY_MS).toISOString().slice(0, 10);
      input.max = new Date(today() + PLAUSIBLE_DAYS * DAY_MS).toISOString().slice(0, 10);
    });
  }

  function check(values) {
    var errors = [];
    var add = function (name, key, target) { errors.push({ name: name, key: key, target: target || name }); };
    var regimens = form.querySelectorAll('input[name="regimen"]');
    if (regimens.length && !values.regimen) { add('regimen', 'regimen', regimens[0].id); }
    [['start_date', values.start], ['next_appointment', values.next]].forEach(function (pair) {
      if (Number.isNaN(pair[1])) { add(pair[0], pair[0] + '-incomplete'); }
      else if (pair[1] !== null && Math.abs(pair[1] - today()) > PLAUSIBLE_DAYS * DAY_MS) { add(pair[0], pair[0] + '-range'); }
    });
    if (values.regimen && values.regimen.hasAttribute('data-needs-start') && values.start === null) {
      add('start_date', 'start_date-required');
    }
    if (values.start && values.next && !errors.length && values.next <= values.start) {
      add('next_appointment', 'next_appointment-order');
    }
    if (values.name.length > 80) { add('name', 'name-long'); }
    else if (PLAIN_RE.test(values.name.replace(JOINED_RE, function (pair) { return pair[0]; }))) { add('name', 'name-plain'); }
    else if (MARKS_RE.test(values.name)) { add('name', 'name-marks'); }
    if (values.prescriber.length > 80) { add('prescriber', 'prescriber-long'); }
    else if (PLAIN_RE.test(values.prescriber)) { add('prescriber', 'prescriber-plain'); }
    if (values.ref && !REF_RE.test(values.ref)) { add('ref', 'ref'); }
    return errors;
  }

  /* GOV.UK's pattern: a summary at the top linking each problem, the same words above the field. */
  function showErrors(errors) {
    form.querySelectorAll('[data-lf-group]').forEach(function (group) {
      var name = group.getAttribute('data-lf-group');
      var error = errors.filter(function (item) { return item.name === name; })[0];
      var line = document.getElementById(name + '-error');
      group.classList.toggle('lf-form-group--error', Boolean(error));
      if (!line) { return; }
      line.hidden = !error;
      line.querySelector('[data-lf-error-text]').textContent = error ? message(error.key) : '';
      group.querySelectorAll('input, select').forEach(function (input) {
        var described = (input.getAttribute('aria-describedby') || '').split(' ').filter(function (id) {
          return id && id !== line.id;
        });
        if (error && input.type !== 'radio') { described.push(line.id); }
        if (described.length) { input.setAttribute('aria-describedby', described.join(' ')); }
        else { input.removeAttribute('aria-describedby'); }
        if (error && input.type !== 'radio') { input.setAttribute('aria-invalid', 'true'); }
        else { input.removeAttribute('aria-invalid'); }
      });
      var fieldset = group.querySelector('fieldset');
      if (fieldset) {
        var ids = (fieldset.getAttribute('aria-describedby') || '').split(' ').filter(function (id) {
          return id && id !== line.id;
        });
        if (error) { ids.push(line.id); }
        fieldset.setAttribute('aria-describedby', ids.join(' '));
      }
    });
    var list = summary.querySelector('ul');
    list.replaceChildren();
    errors.forEach(function (error) {
      var link = document.createElement('a');
      link.href = '#' + error.target;
      link.textContent = message(error.key);
      link.addEventListener('click', function (event) {
        event.preventDefault();
        document.getElementById(error.target).focus();
      });
      var item = document.createElement('li');
      item.appendChild(link);
      list.appendChild(item);
    });
    summary.hidden = !errors.length;
    document.title = errors.length ? message('error-title') + ' ' + pageTitle : pageTitle;
    if (errors.length) { summary.focus(); }
  }

  /* The copy: the treatment sheet, its alert cards, then the leaflet with the chosen clinic's card. */
  function assemble(values) {
    var sheet = template('lf-sheet');
    var plan = values.regimen && values.start !== null && values.regimen.getAttribute('data-dated-plan')
      ? values.regimen.getAttribute('data-dated-plan')
      : values.regimen && values.regimen.getAttribute('data-plan');
    fillSlot(sheet, 'plan', plan);
    fillSlot(sheet, 'sheet_card', 'lf-sheet-card-' + values.clinic);
    fillSlot(sheet, 'alert_cards', 'lf-alert-cards-' + values.clinic);
    var leaflet = template('lf-leaflet');
    var card = leaflet.querySelector('.lf-contact-card');
    if (card) { card.replaceWith(template('lf-leaflet-card-' + values.clinic)); }
    var copy = document.createDocumentFragment();
    if (plan || sheet.querySelector('.lf-alert-cards')) { copy.appendChild(sheet); }
    copy.appendChild(leaflet);
    fill(copy, {
      name: values.name,
      prescriber: values.prescriber,
      ref: values.ref,
      start_date: values.start !== null ? formatDate(values.start, 'full') : '',
      next_appointment: values.next !== null ? formatDate(values.next, 'full') : '',
      printed_on: formatDate(today(), 'long')
    });
    copy.querySelectorAll('[data-lf-day]').forEach(function (el) {
      el.replaceWith(formatDate(values.start + Number(el.getAttribute('data-lf-day')) * DAY_MS, 'full'));
    });
    printout.replaceChildren(copy);
    printout.hidden = false;
    setPage(values);
  }

  function fillSlot(root, slot, id) {
    var place = root.querySelector('[data-lf-slot="' + slot + '"]');
    if (place) { place.replaceWith(id ? template(id) : ''); }
  }

  /* Typed text goes in as text. An empty optional field takes its label with it. */
  function fill(root, values) {
    root.querySelectorAll('[data-lf-fill]').forEach(function (el) {
      var value = values[el.getAttribute('data-lf-fill')];
      var parent = el.parentElement;
      if (value) {
        el.replaceWith(value);
        if (parent && parent.tagName === 'BDI') { parent.dir = 'auto'; }
        return;
      }
      if (parent && parent.tagName === 'DD') {
        var list = parent.parentElement;
        parent.previousElementSibling.remove();
        parent.remove();
        if (!list.children.length) { list.remove(); }
      } else if (parent && parent.closest('.lf-print-record') && parent !== parent.closest('.lf-print-record')) {
        if (parent.previousElementSibling) { parent.previousElementSibling.remove(); }
        parent.remove();
      } else {
        el.remove();
      }
    });
  }

  /* A date in the CLDR pattern print uses ("EEEE, d MMMM y"), its words and digits from Intl. */
  function formatDate(ms, length) {
    var options = { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric',
                    numberingSystem: form.dataset.numbering };
    var parts = {};
    new Intl.DateTimeFormat(form.dataset.locale, options).formatToParts(new Date(ms)).forEach(function (part) {
      parts[part.type] = part.value;
    });
    var pattern = length === 'full' ? form.dataset.fullPattern : form.dataset.longPattern;
    return pattern.replace(/'([^']*)'|EEEE|MMMM|y+|d+/g, function (token, quoted) {
      if (quoted !== undefined) { return quoted || "'"; }
      if (token === 'EEEE') { return parts.weekday; }
      if (token === 'MMMM') { return parts.month; }
      if (token[0] === 'y') { return parts.year; }
      return parts.day;
    });
  }

  /* Print size and paper: classes on <html>; the footer's words from the build, in the @page margin boxes. */
  function setPage(values) {
    var root = document.documentElement;
    root.classList.toggle('lf-variant-large-print', values.largePrint);
    root.classList.toggle('lf-variant-standard', !values.largePrint);
    root.classList.toggle('lf-paper-letter', values.paper === 'letter');
    root.classList.toggle('lf-paper-a4', values.paper !== 'letter');
    root.style.setProperty('--lf-footer-version', form.dataset.footerVersion);
    root.style.setProperty('--lf-footer-review', form.dataset.footerReview);
    root.style.setProperty('--lf-page-counter', form.dataset.pageCounter);
  }
}());
