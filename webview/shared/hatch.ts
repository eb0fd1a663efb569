// Diagonal hatching over one flame-graph cell: frames that wait in a blocking call (spawnSync,
// fs *Sync), not CPU work. The caller sets strokeStyle and alpha; used by the flame and diff panels.
export function hatchRect(ctx: CanvasRenderingContext2D, x: number, y: number, w: number, h: number): void {
  ctx.save();
  ctx.beginPath();
  ctx.rect(x, y, w, h - 1);
  ctx.clip();
  ctx.beginPath();
  for (let d = -h; d < w; d += 6) {
    ctx.moveTo(x + d, y + h);
    ctx.lineTo(x + d + h, y);
  }
  ctx.stroke();
  ctx.restore();
}
