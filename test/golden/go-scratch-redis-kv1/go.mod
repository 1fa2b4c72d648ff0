// Other modules import this one by its path: change it to your repository's if it moves.
module "example/edge"

go 1.25
