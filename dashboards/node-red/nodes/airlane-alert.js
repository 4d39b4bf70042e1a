'use strict';
// airlane-alert: one message when a site's index level (from airlane-aqi) or a quantity (from airlane-in) stays at
// or above a threshold for a minimum duration, and one when it has stayed at or below a lower threshold for
// another duration. Clocked by the messages' `time`, so replays and tests behave as live data does.
const { Hysteresis } = require('../lib/hysteresis.js');
const { levelInfo } = require('../lib/bands.js');

const fmtDuration = (ms) => (ms % 60000 === 0 ? `${ms / 60000} min` : `${ms / 1000} s`);
const SCHEME_NAME = { atmo: 'ATMO', eaqi: 'EAQI' };

function minutes(v, fallback) {
  const n = Number(v);
  return v !== '' && v !== undefined && Number.isFinite(n) && n >= 0 ? n : fallback;
}

module.exports = function (RED) {
  function AirlaneAlertNode(config) {
    RED.nodes.createNode(this, config);
    const node = this;
    const mode = config.mode === 'value' ? 'value' : 'level';
    const quantity = String(config.quantity || 'pm25_ugm3');
    const raiseAt = Number(config.raiseAt !== undefined && config.raiseAt !== '' ? config.raiseAt : mode === 'level' ? 4 : 50);
    const clearAt = Number(config.clearAt !== undefined && config.clearAt !== '' ? config.clearAt : mode === 'level' ? raiseAt - 1 : raiseAt * 0.8);
    const topicTemplate = config.topic === undefined ? 'airlane/alerts/{site}' : String(config.topic);
    let hyst;
    try {
      hyst = new Hysteresis({
        raiseAt,
        clearAt,
        raiseForMs: minutes(config.raiseFor, 10) * 60000,
        clearForMs: minutes(config.clearFor, 10) * 60000,
      });
    } catch (e) {
      node.error(`airlane-alert: ${e.message}`);
      node.status({ fill: 'red', shape: 'ring', text: 'bad options' });
      return;
    }

    const describeLevel = (scheme, level) => {
      const info = levelInfo(scheme, level);
      return info ? `${level} "${info.label}"` : String(level);
    };

    node.on('input', (msg, send, done) => {
      const p = msg.payload;
      const t = p && typeof p.time === 'string' ? Date.parse(p.time) : NaN;
      if (!p || typeof p.site !== 'string' || !Number.isFinite(t)) {
        done(new Error('airlane-alert expects msg.payload with site and time (from airlane-aqi or airlane-in)'));
        return;
      }
      const scheme = p.scheme === 'eaqi' ? 'eaqi' : 'atmo';
      const value = mode === 'level' ? p.level : p.values?.[quantity];
      if (typeof value !== 'number' || !Number.isFinite(value)) return done();
      const change = hyst.update(p.site, t, value);
      if (!change) return done();

      const raise = change.event === 'raise';
      const dur = fmtDuration(change.durationMs);
      const since = new Date(change.since).toISOString();
      let reason;
      const out = { event: change.event, site: p.site, mode };
      if (mode === 'level') {
        const bound = raise ? `≥ ${describeLevel(scheme, raiseAt)}` : `≤ ${describeLevel(scheme, clearAt)}`;
        reason = `${SCHEME_NAME[scheme]} level ${describeLevel(scheme, value)} ${bound} for ${dur} since ${since}`;
        if (raise && p.dominant) reason += `; dominant ${p.dominant}`;
        Object.assign(out, { scheme, level: value, label: p.label, colour: p.colour, dominant: p.dominant });
      } else {
        reason = `${quantity} ${value} ${raise ? `≥ ${raiseAt}` : `≤ ${clearAt}`} for ${dur} since ${since}`;
        Object.assign(out, { quantity, value });
      }
      Object.assign(out, {
        raise_at: raiseAt,
        clear_at: clearAt,
        since,
        time: new Date(change.t).toISOString(),
        duration_s: change.durationMs / 1000,
        reason,
      });
      node.status(raise ? { fill: 'red', shape: 'dot', text: `${p.site}: raised` } : { fill: 'green', shape: 'dot', text: `${p.site}: clear` });
      const topic = topicTemplate.replace(/\{site\}/g, p.site).replace(/\{event\}/g, change.event);
      send({ topic: topic || msg.topic, payload: out });
      done();
    });
  }
  RED.nodes.registerType('airlane-alert', AirlaneAlertNode);
};
