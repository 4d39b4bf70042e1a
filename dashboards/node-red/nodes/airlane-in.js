'use strict';
// airlane-in: placed after a core `mqtt in` node subscribed to airlane/v1/+/+/reading. Output 1: the Reading,
// validated (DESIGN.md §3). Output 2: what was refused, with the reason. Readings of sites outside the filter are
// dropped silently: they are valid, just not wanted here.
const { readingProblems, parsePayload, topicProblem } = require('../lib/reading.js');

module.exports = function (RED) {
  function AirlaneInNode(config) {
    RED.nodes.createNode(this, config);
    const node = this;
    const sites = String(config.sites || '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const checkTopic = config.checkTopic !== false;
    let accepted = 0;
    let rejected = 0;
    const status = () =>
      node.status({ fill: rejected ? 'yellow' : 'green', shape: 'dot', text: `${accepted} ok, ${rejected} refused` });

    node.on('input', (msg, send, done) => {
      const refuse = (reason) => {
        rejected++;
        status();
        send([null, { topic: msg.topic, reason, payload: { reason, topic: msg.topic ?? null, received: msg.payload } }]);
        done();
      };
      const parsed = parsePayload(msg.payload);
      if (parsed.error) return refuse(parsed.error);
      const problems = readingProblems(parsed.value);
      if (problems.length) return refuse(problems.join('; '));
      const reading = parsed.value;
      if (checkTopic) {
        const tp = topicProblem(msg.topic, reading);
        if (tp) return refuse(tp);
      }
      if (sites.length && !sites.includes(reading.site)) return done();
      accepted++;
      status();
      msg.payload = reading;
      send([msg, null]);
      done();
    });
  }
  RED.nodes.registerType('airlane-in', AirlaneInNode);
};
