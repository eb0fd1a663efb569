// Allocation churn: a new point object per step of the walk (a pooling candidate).
function step(point, angle) {
  return { x: point.x + Math.cos(angle), y: point.y + Math.sin(angle) };
}

function simulate(steps) {
  let point = { x: 0, y: 0 };
  let length = 0;
  for (let i = 0; i < steps; i++) {
    const next = step(point, (i * 0.618) % (2 * Math.PI));
    length += Math.hypot(next.x - point.x, next.y - point.y);
    point = next;
  }
  return length;
}

module.exports = { simulate, step };
