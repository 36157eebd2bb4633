// The anytime serve demo page: sends the drawing as pixels to /v1/predict?stream=true and shows each
// exit's answer as its Server-Sent Event arrives. No libraries: the machine serving it may be offline.
'use strict';

const pad = document.getElementById('pad');
const ctx = pad.getContext('2d');
const statusLine = document.getElementById('status');
const rows = document.querySelector('#exits tbody');
const finalLine = document.getElementById('final');
const chart = document.getElementById('chart');
const deadline = document.getElementById('deadline');
const deadlineValue = document.getElementById('deadline-value');
let model = null;
let points = [];

function clearPad() {
  ctx.fillStyle = '#000';
  ctx.fillRect(0, 0, pad.width, pad.height);
}

function position(event) {
  const box = pad.getBoundingClientRect();
  return [(event.clientX - box.left) * pad.width / box.width, (event.clientY - box.top) * pad.height / box.height];
}

let drawing = false;
pad.addEventListener('pointerdown', e => { drawing = true; points = [position(e)]; stroke(position(e)); });
pad.addEventListener('pointermove', e => { if (drawing) { stroke(position(e)); } });
window.addEventListener('pointerup', () => { drawing = false; });

function stroke(p) {
  const last = points[points.length - 1];
  ctx.strokeStyle = '#fff';
  ctx.lineWidth = 22;
  ctx.lineCap = 'round';
  ctx.beginPath();
  ctx.moveTo(last[0], last[1]);
  ctx.lineTo(p[0], p[1]);
  ctx.stroke();
  points.push(p);
}

document.getElementById('clear').addEventListener('click', () => { clearPad(); resetResults(''); });
deadline.addEventListener('input', () => { deadlineValue.textContent = deadline.value; });

function showImage(file) {
  const reader = new FileReader();
  reader.onload = () => {
    const img = new Image();
    img.onload = () => {
      clearPad();
      const scale = Math.min(pad.width / img.width, pad.height / img.height);
      const w = img.width * scale, h = img.height * scale;
      ctx.filter = document.getElementById('invert').checked ? 'invert(1)' : 'none';
      ctx.drawImage(img, (pad.width - w) / 2, (pad.height - h) / 2, w, h);
      ctx.filter = 'none';
    };
    img.src = reader.result;
  };
  reader.readAsDataURL(file);
}

const drop = document.getElementById('drop');
drop.addEventListener('dragover', e => { e.preventDefault(); drop.classList.add('over'); });
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', e => {
  e.preventDefault();
  drop.classList.remove('over');
  if (e.dataTransfer.files.length > 0) { showImage(e.dataTransfer.files[0]); }
});
document.getElementById('file').addEventListener('change', e => {
  if (e.target.files.length > 0) { showImage(e.target.files[0]); }
});

// The pad scaled to the model's input, as C x H x W bytes.
function pixels() {
  const [c, h, w] = [model.input.channels, model.input.height, model.input.width];
  const small = document.createElement('canvas');
  small.width = w;
  small.height = h;
  const sctx = small.getContext('2d');
  sctx.imageSmoothingEnabled = true;
  sctx.imageSmoothingQuality = 'high';
  sctx.drawImage(pad, 0, 0, w, h);
  const rgba = sctx.getImageData(0, 0, w, h).data;
  const out = new Array(c * h * w);
  for (let i = 0; i < h * w; i++) {
    const [r, g, b] = [rgba[4 * i], rgba[4 * i + 1], rgba[4 * i + 2]];
    if (c === 1) {
      out[i] = Math.round(0.299 * r + 0.587 * g + 0.114 * b);
    } else {
      out[i] = r; out[h * w + i] = g; out[2 * h * w + i] = b;
    }
  }
  return out;
}

function resetResults(text) {
  rows.innerHTML = '';
  finalLine.textContent = '';
  finalLine.className = 'final';
  statusLine.textContent = text;
  drawChart([]);
}

function addExit(e) {
  const tr = document.createElement('tr');
  tr.className = 'exit-row';
  tr.dataset.exit = e.exit;
  for (const v of [e.exit + ' / ' + e.exits, e.className, (100 * e.confidence).toFixed(1) + ' %',
                   (e.macs / 1e6).toFixed(2), e.elapsedMs.toFixed(2)]) {
    const td = document.createElement('td');
    td.textContent = v;
    tr.appendChild(td);
  }
  rows.appendChild(tr);
}

function drawChart(events) {
  const g = chart.getContext('2d');
  const [w, h, left, bottom] = [chart.width, chart.height, 34, 22];
  g.clearRect(0, 0, w, h);
  g.fillStyle = '#222';
  g.font = '11px sans-serif';
  g.fillText('confidence', 2, 10);
  g.strokeStyle = '#999';
  g.beginPath(); g.moveTo(left, 14); g.lineTo(left, h - bottom); g.lineTo(w - 4, h - bottom); g.stroke();
  for (const t of [0, 0.5, 1]) {
    const y = h - bottom - t * (h - bottom - 14);
    g.fillText(t.toFixed(1), 6, y + 4);
  }
  const exits = model ? model.exits.length : 1;
  const slot = (w - left - 8) / exits;
  for (let k = 0; k < exits; k++) {
    g.fillText(String(k + 1), left + slot * k + slot / 2 - 3, h - 6);
  }
  events.forEach(e => {
    const bar = e.confidence * (h - bottom - 14);
    g.fillStyle = '#2a6ed8';
    g.fillRect(left + slot * (e.exit - 1) + 4, h - bottom - bar, slot - 8, bar);
  });
}

async function classify() {
  if (!model) { return; }
  resetResults('waiting for the first exit ...');
  const events = [];
  let response;
  try {
    response = await fetch('v1/predict?stream=true', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ pixels: pixels(), deadlineMs: Number(deadline.value) })
    });
  } catch (err) {
    fail('request failed: ' + err);
    return;
  }
  if (!(response.headers.get('Content-Type') || '').startsWith('text/event-stream')) {
    const body = await response.json().catch(() => ({ error: response.statusText }));
    fail(response.status + ': ' + body.error);
    return;
  }
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) { break; }
    buffer += decoder.decode(value, { stream: true });
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = (block.match(/^event: (.*)$/m) || [])[1];
      const data = JSON.parse((block.match(/^data: (.*)$/m) || [])[1] || '{}');
      if (event === 'exit') {
        events.push(data);
        addExit(data);
        drawChart(events);
        statusLine.textContent = 'exit ' + data.exit + ' of ' + data.exits + ' ...';
      } else if (event === 'final') {
        finalLine.textContent = 'Answer: ' + data.className + ' (exit ' + data.exit + ' of ' + data.exits + ', '
          + (100 * data.confidence).toFixed(1) + ' %, ' + data.totalMs.toFixed(2) + ' ms, '
          + data.queueMs.toFixed(2) + ' ms queued)';
        statusLine.textContent = 'done';
      } else if (event === 'error') {
        fail(data.error);
      }
    }
  }
}

function fail(message) {
  statusLine.textContent = '';
  finalLine.textContent = message;
  finalLine.className = 'final error';
}

document.getElementById('classify').addEventListener('click', classify);

clearPad();
drawChart([]);
fetch('v1/model').then(r => r.json()).then(m => {
  model = m;
  deadline.value = Math.min(Number(deadline.max), Math.round(m.defaultDeadlineMs));
  deadlineValue.textContent = deadline.value;
  statusLine.textContent = 'model ready: ' + m.exits.length + ' exits, classes ' + m.classNames.join(', ');
  drawChart([]);
}).catch(err => fail('could not load the model description: ' + err));
