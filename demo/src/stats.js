// Runs in a child process started by main.js: its own hot function shows up in its own profile.
function sumOfSquareRoots(n) {
  let total = 0;
  for (let i = 1; i <= n; i++) total += Math.sqrt(i) * Math.sin(i);
  return total;
}

console.log(`stats ${sumOfSquareRoots(12000000).toFixed(2)}`);
